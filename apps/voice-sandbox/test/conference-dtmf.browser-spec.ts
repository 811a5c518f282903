import type { Page } from 'playwright-core';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import type { InboundCall } from '@switchboard/sandbox-twiml-engine';
import {
  getWithBasicAuth,
  hasEvent,
  postJson,
  sandboxToken,
  startBrowserHarness,
  until,
  WAIT_MS,
  type BrowserHarness,
} from './support/browser-harness';
import { OUTGOING_PATH } from './support/twiml-app-stand-in';

/**
 * Twilio's conferences carry a participant's key presses to the others as in-band tones. Here the
 * real Voice SDK sends `call.sendDigits('12#')` (RFC 4733 events from Chromium) in a sandbox
 * conference; a simulated PSTN caller and a second SDK device hear the tones, and the sandbox's
 * `heardDigits` (GET /sandbox/calls, a test surface) shows what each leg's far end heard.
 */

const ROOM = 'keypad';

interface LegView {
  readonly callSid: string;
  readonly from: string;
  readonly status: string;
  readonly digits: string;
  readonly heardDigits: string;
}

describe('DTMF in a sandbox conference with the real Voice SDK', () => {
  let harness: BrowserHarness;
  const inboundCalls: InboundCall[] = [];

  const device = async (identity: string): Promise<Page> => (await harness.openDevice(sandboxToken(identity), { codecPreferences: ['pcmu'] })).page;
  const legs = async (): Promise<LegView[]> => {
    const answer = await getWithBasicAuth(`${harness.sandbox.url}/sandbox/calls`);
    expect(answer.status).toBe(200);
    return (JSON.parse(answer.body.toString()) as { legs: LegView[] }).legs;
  };
  const liveLeg = (from: string) => until(`the live leg from ${from}`, async () => (await legs()).find((l) => l.from === from && l.status === 'in-progress'));

  beforeAll(async () => {
    harness = await startBrowserHarness({
      dataDirPrefix: 'voice-sandbox-conference-dtmf-',
      engine: { onInboundCall: (call) => inboundCalls.push(call) },
      configure: (config, standIn) => ({
        ...config,
        numbers: config.numbers.map((n) => ({ ...n, voiceUrl: `${standIn.origin}/pstn`, statusCallback: undefined })),
      }),
    });
    const twimlApp = harness.twimlApp;
    const conference =
      `<Dial><Conference beep="false" statusCallback="${twimlApp.origin}/conference-events" statusCallbackEvent="join">${ROOM}</Conference></Dial>`;
    twimlApp.routes.set(OUTGOING_PATH, () => conference);
    twimlApp.routes.set('/pstn', () => conference);
  });

  afterAll(async () => {
    // A failed assertion must not leave the PSTN caller in its room, keeping the conference (and Jest) running.
    inboundCalls.forEach((call) => call.leg.hangup());
    await harness?.close();
  });

  it('digits alice sends are heard as tones by the PSTN caller and by bob, not by alice', async () => {
    const [alice, bob] = [await device('alice'), await device('bob')];
    await alice.evaluate(`t.connect({ To: 'conference' })`);
    await bob.evaluate(`t.connect({ To: 'conference' })`);
    await hasEvent(alice, 'out:accept');
    await hasEvent(bob, 'out:accept');
    const placed = await postJson<Record<string, string>>(`${harness.sandbox.url}/sandbox/inbound`, {
      from: SANDBOX_NUMBERS.customer,
      to: SANDBOX_NUMBERS.support,
      script: [{ wait: 120 }],
    });
    expect(placed.status).toBe(201);
    const pstn = await until('the inbound call', async () => inboundCalls.find((c) => c.callSid === placed.body['callSid']));
    await until('three participant-join callbacks', async () =>
      harness.twimlApp.requests.filter((r) => r.params['StatusCallbackEvent'] === 'participant-join').length === 3);
    // Chromium's fake microphones beep; muted, they send silence, so only the key tones are in the mix.
    await alice.evaluate('t.call.mute(true)');
    await bob.evaluate('t.call.mute(true)');
    // Chromium inserts RFC 4733 events once DTLS is up; before that the SDK would signal the digits instead.
    await alice.waitForFunction('window.peerConnections.at(-1).getSenders().find((s) => s.dtmf).dtmf.canInsertDTMF', undefined, { timeout: WAIT_MS });

    await alice.evaluate(`t.call.sendDigits('12#')`);

    const caller = await until('the PSTN caller to hear 12#', async () => {
      const leg = (await legs()).find((l) => l.callSid === pstn.callSid);
      return leg?.heardDigits === '12#' ? leg : undefined;
    });
    expect(caller.digits).toBe('');
    expect(pstn.leg.heardDigits).toBe('12#');
    const bobLeg = await until('bob to hear 12#', async () => {
      const leg = await liveLeg('client:bob');
      return leg.heardDigits === '12#' ? leg : undefined;
    });
    expect(bobLeg.digits).toBe('');
    const aliceLeg = await liveLeg('client:alice');
    expect(aliceLeg).toMatchObject({ digits: '12#', heardDigits: '' });

    await alice.evaluate('t.device.disconnectAll()');
    await bob.evaluate('t.device.disconnectAll()');
    pstn.leg.hangup();
  });
});
