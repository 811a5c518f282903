import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS, sandboxDeviceOptions } from '@switchboard/shared-sandbox-defaults';
import { defaultConfig, type SandboxConfig } from '../src/app/config';
import { startSandbox, type RunningSandbox } from '../src/app/sandbox-app';
import { twimlEngineExtensions } from '../src/app/twiml-wiring';
import { startPageServer } from './support/page-server';
import { bundleVoiceSdk } from './support/sdk-bundle';
import { OUTGOING_PATH, startTwimlApp } from './support/twiml-app-stand-in';

/*
 * Issue 11, items 1 and 5, with the real Voice SDK in Chromium: custom parameter names and values
 * as Twilio delivers them, and `device.connect({ connectToken })` taking over a ringing or an
 * answered call from another Device.
 */

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
];
const WAIT_MS = 20_000;
/** Twilio's own parameters on the voice URL webhook: everything else came from `connect({ params })`. */
const TWILIO_WEBHOOK_PARAMS = new Set([
  'AccountSid', 'ApiVersion', 'ApplicationSid', 'CallSid', 'CallStatus', 'Called', 'Caller', 'Direction', 'From', 'To',
  'CallToken', 'CallerCountry', 'CalledCountry',
]);

function token(identity: string): string {
  const { AccessToken } = twilio.jwt;
  const accessToken = new AccessToken(SANDBOX_CREDENTIALS.accountSid, SANDBOX_CREDENTIALS.apiKeySid, SANDBOX_CREDENTIALS.apiKeySecret, {
    identity,
    ttl: 3600,
  });
  accessToken.addGrant(new AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: SANDBOX_CREDENTIALS.twimlAppSid }));
  return accessToken.toJwt();
}

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Inbound audio of the page's newest peer connection: total energy only grows while real (non-silent) audio plays. */
const INBOUND_ENERGY = `(async () => {
  const pc = window.peerConnections[window.peerConnections.length - 1];
  let energy = -1;
  if (pc) (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'audio') energy = s.totalAudioEnergy || 0; });
  return energy;
})()`;

describe('custom parameters and connectToken with the real Voice SDK', () => {
  let browser: Browser;
  let sandbox: RunningSandbox;
  let pageServer: Awaited<ReturnType<typeof startPageServer>>;
  let twimlApp: Awaited<ReturnType<typeof startTwimlApp>>;
  let dataDir: string;
  const contexts: BrowserContext[] = [];
  let alice: Page;
  let bob: Page;
  /** A second Device of bob's, never registered: it only takes calls over with a connectToken. */
  let bobsOtherDevice: Page;

  function deviceOptions(): Record<string, unknown> {
    return { ...sandboxDeviceOptions({ signalingHost: `127.0.0.1:${sandbox.port}` }), maxCallSignalingTimeoutMs: 30_000, logLevel: 'warn' };
  }

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(pageServer.url);
    return page;
  }

  async function registeredAgent(identity: string): Promise<Page> {
    const page = await newPage();
    expect(await page.evaluate(`t.start(${JSON.stringify(token(identity))}, ${JSON.stringify(deviceOptions())})`)).toBe('registered');
    return page;
  }

  async function unregisteredAgent(identity: string): Promise<Page> {
    const page = await newPage();
    await page.evaluate(`(() => {
      t.device = new Twilio.Device(${JSON.stringify(token(identity))}, ${JSON.stringify(deviceOptions())});
      t.device.on('error', (e) => t.errors.push(e.code));
    })()`);
    return page;
  }

  const has = (page: Page, event: string): Promise<void> =>
    page.waitForFunction(`t.has(${JSON.stringify(event)})`, undefined, { timeout: WAIT_MS }).then(() => undefined);

  /** Waits until the page hears real audio: its inbound energy grows past where it stood when called. */
  async function hearsAudio(page: Page): Promise<void> {
    const start = (await page.evaluate(INBOUND_ENERGY)) as number;
    let last = start;
    await until(`audio on the page (energy stayed at ${start})`, async () => {
      last = (await page.evaluate(INBOUND_ENERGY)) as number;
      return last > Math.max(start, 0) + 0.001;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; last energy ${last}`);
    });
  }

  /** `device.connect({ connectToken })` on the page, recording the call's events as `out:*`. */
  const connectWithToken = (page: Page, connectToken: string): Promise<unknown> =>
    page.evaluate(`(async () => {
      t.call = await t.device.connect({ connectToken: ${JSON.stringify(connectToken)} });
      t.record('out', t.call);
      return t.call.status();
    })()`);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'voice-sandbox-params-test-'));
    twimlApp = await startTwimlApp(SANDBOX_CREDENTIALS.authToken);
    const base = defaultConfig();
    const config: SandboxConfig = {
      ...base,
      port: 0,
      dataDir,
      faults: true,
      applications: base.applications.map((a) => ({ ...a, voiceUrl: twimlApp.url })),
    };
    sandbox = await startSandbox(config, {
      log: (event, fields) => {
        if (process.env['SANDBOX_TEST_LOG']) process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
      },
      ...twimlEngineExtensions(),
    });
    pageServer = await startPageServer(await bundleVoiceSdk());
    browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    alice = await registeredAgent('alice');
    bob = await registeredAgent('bob');
    bobsOtherDevice = await unregisteredAgent('bob');
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await pageServer?.close();
    await sandbox?.close();
    await twimlApp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    twimlApp.routes.clear();
    await Promise.all([alice, bob, bobsOtherDevice].map((p) => p.evaluate('t.device.disconnectAll(); t.reset()')));
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
    await has(bob, 'incoming');

    const webhook = twimlApp.requests[twimlApp.requests.length - 1];
    expect(webhook.signatureValid).toBe(true);
    expect(webhook.params).toMatchObject(sent);
    const received = (await bob.evaluate('Object.fromEntries(t.incoming.customParameters)')) as Record<string, string>;
    expect(received).toEqual(sent);
    await bob.evaluate('t.incoming.reject()');
    await has(alice, 'out:disconnect');
  });

  it('connectToken on a ringing call: the other Device is connected with audio, the ringing Device gets cancel', async () => {
    twimlApp.dialTo = { identity: 'bob', timeout: 30, parameters: { ticket: 'T 42 + x' } };
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await has(bob, 'incoming');
    const connectToken = (await bob.evaluate('t.incoming.connectToken')) as string;
    expect(typeof connectToken).toBe('string');

    await connectWithToken(bobsOtherDevice, connectToken);
    await Promise.all([has(bobsOtherDevice, 'out:accept'), has(bob, 'in:cancel'), has(alice, 'out:accept')]);
    expect(await bobsOtherDevice.evaluate('t.call.parameters')).toEqual(await bob.evaluate('t.incoming.parameters'));
    expect(await bobsOtherDevice.evaluate('Object.fromEntries(t.call.customParameters)')).toEqual({ ticket: 'T 42 + x' });
    await Promise.all([hearsAudio(alice), hearsAudio(bobsOtherDevice)]);

    await alice.evaluate('t.call.disconnect()');
    await has(bobsOtherDevice, 'out:disconnect');
    expect(await bob.evaluate('t.events')).not.toContain('in:accept');
  });

  it('connectToken on an answered call: the call moves to the new peer connection, the old leg ends, audio flows', async () => {
    twimlApp.dialTo = { identity: 'bob', timeout: 30, parameters: {} };
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await has(bob, 'incoming');
    await bob.evaluate('t.incoming.accept()');
    await Promise.all([has(bob, 'in:accept'), has(alice, 'out:accept')]);
    await Promise.all([hearsAudio(alice), hearsAudio(bob)]);
    const connectToken = (await bob.evaluate('t.incoming.connectToken')) as string;

    await connectWithToken(bobsOtherDevice, connectToken);
    await Promise.all([has(bobsOtherDevice, 'out:accept'), has(bob, 'in:disconnect')]);
    // What alice hears once the new Device hears her can only come from that Device: bob's leg is gone.
    await hearsAudio(bobsOtherDevice);
    await hearsAudio(alice);
    expect(await alice.evaluate('t.events')).not.toContain('out:disconnect');
    expect(await bobsOtherDevice.evaluate('t.call.parameters.CallSid')).toBe(await bob.evaluate('t.incoming.parameters.CallSid'));

    await bobsOtherDevice.evaluate('t.call.disconnect()');
    await has(alice, 'out:disconnect');
  });
});
