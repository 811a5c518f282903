import type { Page } from 'playwright-core';
import { hearsAudioEnergy } from './support/audio-stats';
import { hasEvent, resetDevices, sandboxToken, startBrowserHarness, type BrowserHarness, type TwimlAppStandIn } from './support/browser-harness';
import { OUTGOING_PATH } from './support/twiml-app-stand-in';

/*
 * Issue 11, items 1 and 5, with the real Voice SDK in Chromium: custom parameter names and values
 * as Twilio delivers them, and `device.connect({ connectToken })` taking over a ringing or an
 * answered call from another Device.
 */

/** Twilio's own parameters on the voice URL webhook: everything else came from `connect({ params })`. */
const TWILIO_WEBHOOK_PARAMS = new Set([
  'AccountSid', 'ApiVersion', 'ApplicationSid', 'CallSid', 'CallStatus', 'Called', 'Caller', 'Direction', 'From', 'To',
  'CallToken', 'CallerCountry', 'CalledCountry',
]);

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

describe('custom parameters and connectToken with the real Voice SDK', () => {
  let harness: BrowserHarness;
  let twimlApp: TwimlAppStandIn;
  let alice: Page;
  let bob: Page;
  /** A second Device of bob's, never registered: it only takes calls over with a connectToken. */
  let bobsOtherDevice: Page;

  const deviceOptions = (): Record<string, unknown> => harness.deviceOptions({ maxCallSignalingTimeoutMs: 30_000 });

  async function registeredAgent(identity: string): Promise<Page> {
    const { page, state } = await harness.openDevice(sandboxToken(identity), { maxCallSignalingTimeoutMs: 30_000 });
    expect(state).toBe('registered');
    return page;
  }

  async function unregisteredAgent(identity: string): Promise<Page> {
    const page = await harness.openPage();
    await page.evaluate(`(() => {
      t.device = new Twilio.Device(${JSON.stringify(sandboxToken(identity))}, ${JSON.stringify(deviceOptions())});
      t.device.on('error', (e) => t.errors.push(e.code));
    })()`);
    return page;
  }

  /** `device.connect({ connectToken })` on the page, recording the call's events as `out:*`. */
  const connectWithToken = (page: Page, connectToken: string): Promise<unknown> =>
    page.evaluate(`(async () => {
      t.call = await t.device.connect({ connectToken: ${JSON.stringify(connectToken)} });
      t.record('out', t.call);
      return t.call.status();
    })()`);

  beforeAll(async () => {
    harness = await startBrowserHarness({
      dataDirPrefix: 'voice-sandbox-params-test-',
      faults: true,
      log: (event, fields) => {
        if (process.env['SANDBOX_TEST_LOG']) process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
      },
    });
    twimlApp = harness.twimlApp;
    alice = await registeredAgent('alice');
    bob = await registeredAgent('bob');
    bobsOtherDevice = await unregisteredAgent('bob');
  });

  afterAll(() => harness?.close());

  afterEach(async () => {
    twimlApp.routes.clear();
    await resetDevices([alice, bob, bobsOtherDevice]);
  });

  it('parameter names and values with +, spaces, &, =, % and non-ASCII arrive raw at the webhook and at the callee', async () => {
    const sent: Record<string, string> = {
      'custom + param': '我不吃蛋',
      foobar: 'some + value',
      'two words': 'a&b=c 100% + 1',
      'naïve %41 ключ': 'é ü %2B ✓',
    };
    // The TwiML App hands every parameter the caller sent on to bob as <Parameter>s.
    twimlApp.routes.set(OUTGOING_PATH, (params) => {
      const own = Object.entries(params).filter(([name]) => !TWILIO_WEBHOOK_PARAMS.has(name));
      const parameters = own.map(([name, value]) => `<Parameter name="${xml(name)}" value="${xml(value)}"/>`).join('');
      return `<Dial><Client><Identity>bob</Identity>${parameters}</Client></Dial>`;
    });
    await alice.evaluate(`t.connect(${JSON.stringify({ To: 'client:bob', ...sent })})`);
    await hasEvent(bob, 'incoming');

    const webhook = twimlApp.requests[twimlApp.requests.length - 1];
    expect(webhook.signatureValid).toBe(true);
    expect(webhook.params).toMatchObject(sent);
    const received = (await bob.evaluate('Object.fromEntries(t.incoming.customParameters)')) as Record<string, string>;
    expect(received).toEqual(sent);
    await bob.evaluate('t.incoming.reject()');
    await hasEvent(alice, 'out:disconnect');
  });

  it('connectToken on a ringing call: the other Device is connected with audio, the ringing Device gets cancel', async () => {
    twimlApp.dialTo = { identity: 'bob', timeout: 30, parameters: { ticket: 'T 42 + x' } };
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await hasEvent(bob, 'incoming');
    const connectToken = (await bob.evaluate('t.incoming.connectToken')) as string;
    expect(typeof connectToken).toBe('string');

    await connectWithToken(bobsOtherDevice, connectToken);
    await Promise.all([hasEvent(bobsOtherDevice, 'out:accept'), hasEvent(bob, 'in:cancel'), hasEvent(alice, 'out:accept')]);
    expect(await bobsOtherDevice.evaluate('t.call.parameters')).toEqual(await bob.evaluate('t.incoming.parameters'));
    expect(await bobsOtherDevice.evaluate('Object.fromEntries(t.call.customParameters)')).toEqual({ ticket: 'T 42 + x' });
    await Promise.all([hearsAudioEnergy(alice), hearsAudioEnergy(bobsOtherDevice)]);

    await alice.evaluate('t.call.disconnect()');
    await hasEvent(bobsOtherDevice, 'out:disconnect');
    expect(await bob.evaluate('t.events')).not.toContain('in:accept');
  });

  it('connectToken on an answered call: the call moves to the new peer connection, the old leg ends, audio flows', async () => {
    twimlApp.dialTo = { identity: 'bob', timeout: 30, parameters: {} };
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await hasEvent(bob, 'incoming');
    await bob.evaluate('t.incoming.accept()');
    await Promise.all([hasEvent(bob, 'in:accept'), hasEvent(alice, 'out:accept')]);
    await Promise.all([hearsAudioEnergy(alice), hearsAudioEnergy(bob)]);
    const connectToken = (await bob.evaluate('t.incoming.connectToken')) as string;

    await connectWithToken(bobsOtherDevice, connectToken);
    await Promise.all([hasEvent(bobsOtherDevice, 'out:accept'), hasEvent(bob, 'in:disconnect')]);
    // What alice hears once the new Device hears her can only come from that Device: bob's leg is gone.
    await hearsAudioEnergy(bobsOtherDevice);
    await hearsAudioEnergy(alice);
    expect(await alice.evaluate('t.events')).not.toContain('out:disconnect');
    expect(await bobsOtherDevice.evaluate('t.call.parameters.CallSid')).toBe(await bob.evaluate('t.incoming.parameters.CallSid'));

    await bobsOtherDevice.evaluate('t.call.disconnect()');
    await hasEvent(alice, 'out:disconnect');
  });
});
