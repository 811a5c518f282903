import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { rms, SILENCE_RMS_THRESHOLD, type InboundCall } from '@switchboard/sandbox-twiml-engine';
import { inboundAudioLevel as level } from './support/audio-stats';
import { postJson, sandboxToken, startBrowserHarness, until, type BrowserHarness, type TwimlAppStandIn } from './support/browser-harness';
import { OUTGOING_PATH } from './support/twiml-app-stand-in';

/**
 * Two real Voice SDK devices in Chromium and a simulated PSTN caller in one sandbox conference
 * (`<Dial><Conference>`): each hears the others, and a participant held through the real twilio
 * client's Participants update is no longer heard and hears the hold music instead.
 */

const ROOM = 'standup';
/** getStats audioLevel (0..1) below which a device hears nothing; PCMU silence decodes to exactly 0. */
const QUIET_LEVEL = 0.003;

describe('a sandbox conference with the real Voice SDK', () => {
  let harness: BrowserHarness;
  let twimlApp: TwimlAppStandIn;
  let client: ReturnType<typeof twilio>;
  const inboundCalls: InboundCall[] = [];

  const device = async (identity: string): Promise<Page> => (await harness.openDevice(sandboxToken(identity), { codecPreferences: ['pcmu'] })).page;

  const hears = (page: Page, what: string) => until(`${what} (audio level > ${QUIET_LEVEL})`, async () => (await level(page)) > QUIET_LEVEL);
  const hearsNothing = (page: Page, what: string) => until(`${what} (audio level ≤ ${QUIET_LEVEL})`, async () => (await level(page)) <= QUIET_LEVEL);
  /** RMS of the last second the simulated PSTN caller heard. */
  const pstnLevel = (call: InboundCall): number => {
    const heard = call.leg.heard().samples;
    return rms(heard, Math.max(0, heard.length - 8000), heard.length);
  };

  beforeAll(async () => {
    harness = await startBrowserHarness({
      dataDirPrefix: 'voice-sandbox-conference-',
      engine: { onInboundCall: (call) => inboundCalls.push(call) },
      configure: (config, standIn) => ({
        ...config,
        numbers: config.numbers.map((n) => ({ ...n, voiceUrl: `${standIn.origin}/pstn`, statusCallback: undefined })),
      }),
    });
    twimlApp = harness.twimlApp;
    const conference =
      `<Dial><Conference beep="false" statusCallback="${twimlApp.origin}/conference-events" ` +
      `statusCallbackEvent="start join leave hold">${ROOM}</Conference></Dial>`;
    twimlApp.routes.set(OUTGOING_PATH, () => conference);
    twimlApp.routes.set('/pstn', () => conference);
    client = twilio(SANDBOX_CREDENTIALS.accountSid, SANDBOX_CREDENTIALS.authToken, {
      ca: readFileSync(join(harness.dataDir, 'tls', 'sandbox-cert.pem'), 'utf8'),
    });
    client.api.baseUrl = harness.sandbox.url;
  });

  afterAll(() => harness?.close());

  it('two SDK devices and a PSTN caller hear each other; a held participant is not heard and hears the hold music', async () => {
    const [alice, bob] = [await device('alice'), await device('bob')];
    await alice.evaluate(`t.connect({ To: 'conference' })`);
    await bob.evaluate(`t.connect({ To: 'conference' })`);
    const placed = await postJson<Record<string, string>>(`${harness.sandbox.url}/sandbox/inbound`, {
      from: SANDBOX_NUMBERS.customer,
      to: SANDBOX_NUMBERS.support,
      script: [{ tone: { hz: 440, seconds: 120 } }],
    });
    expect(placed.status).toBe(201);
    const pstn = await until('the inbound call', async () => inboundCalls.find((c) => c.callSid === placed.body['callSid']));

    const joins = await until('three participant-join callbacks', async () => {
      const found = twimlApp.requests.filter((r) => r.path === '/conference-events' && r.params['StatusCallbackEvent'] === 'participant-join');
      return found.length === 3 ? found : undefined;
    });
    expect(joins.every((r) => r.signatureValid && r.params['FriendlyName'] === ROOM)).toBe(true);
    const [room] = await client.conferences.list({ friendlyName: ROOM, status: 'in-progress' });
    expect(room.sid).toMatch(/^CF[0-9a-f]{32}$/);
    const participants = await client.conferences(room.sid).participants.list();
    expect(participants.map((p) => p.callSid).sort()).toEqual(joins.map((r) => r.params['CallSid']).sort());
    expect(participants.map((p) => p.callSid)).toContain(pstn.callSid);

    // Everyone speaks (Chromium's fake microphone beeps, the PSTN caller holds a tone): everyone hears something.
    await hears(alice, 'alice hears bob and the PSTN caller');
    await hears(bob, 'bob hears alice and the PSTN caller');
    await until('the PSTN caller hears alice and bob', async () => pstnLevel(pstn) > SILENCE_RMS_THRESHOLD);

    // Alice and bob mute their microphones: the PSTN caller hears nothing, they still hear its tone.
    await alice.evaluate('t.call.mute(true)');
    await bob.evaluate('t.call.mute(true)');
    await until('the PSTN caller hears silence once both devices are muted', async () => pstnLevel(pstn) < SILENCE_RMS_THRESHOLD);
    await hears(alice, 'alice hears the PSTN caller');
    await hears(bob, 'bob hears the PSTN caller');

    // Hold the PSTN caller: it keeps talking but nobody hears it, and it hears the hold music.
    const held = await client.conferences(room.sid).participants(pstn.callSid).update({ hold: true });
    expect(held.hold).toBe(true);
    await hearsNothing(alice, 'alice no longer hears the held PSTN caller');
    await hearsNothing(bob, 'bob no longer hears the held PSTN caller');
    await until('the held PSTN caller hears the hold music', async () => pstnLevel(pstn) > SILENCE_RMS_THRESHOLD);
    const holdEvent = await twimlApp.waitFor('participant-hold', (r) => r.params['StatusCallbackEvent'] === 'participant-hold');
    expect(holdEvent).toMatchObject({ signatureValid: true, params: { CallSid: pstn.callSid, Hold: 'true', ConferenceSid: room.sid } });

    // Unhold: heard again.
    await client.conferences(room.sid).participants(pstn.callSid).update({ hold: false });
    await hears(alice, 'alice hears the PSTN caller again');

    await alice.evaluate('t.device.disconnectAll()');
    await bob.evaluate('t.device.disconnectAll()');
    await twimlApp.waitFor('participant-leave of alice and bob', (r) => r.params['StatusCallbackEvent'] === 'participant-leave' && twimlApp.requests.filter((x) => x.params['StatusCallbackEvent'] === 'participant-leave').length >= 2);
    pstn.leg.hangup();
    const ended = await until('the conference to end', async () => (await client.conferences(room.sid).fetch()).status === 'completed');
    expect(ended).toBe(true);
  });
});
