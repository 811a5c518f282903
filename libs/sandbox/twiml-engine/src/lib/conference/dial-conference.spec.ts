import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { FakeClock, systemClock } from '@switchboard/sandbox-model';
import { tone } from '../audio/tone-and-silence';
import { runTwiml } from '../engine/run-twiml';
import { TwimlEngineDeps } from '../engine/engine-types';
import { FakeLeg } from '../testing/fake-leg';
import { FakeSpeech, FakeTelephonyCore, FakeWebhooks, MemoryLogger, MemoryRecordingStore } from '../testing/fakes';
import { WebhookReceiver } from '../testing/webhook-receiver';
import { HttpWebhookClient } from '../webhooks/webhook-client';
import { ConferenceRooms } from './conference-rooms';

const ACCOUNT = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const TOKEN = '8c514220389604b8a422ec618db0f784';
const BASE = 'http://127.0.0.1:3000';

function engine() {
  const clock = new FakeClock();
  const webhooks = new FakeWebhooks();
  const core = new FakeTelephonyCore();
  const log = new MemoryLogger();
  const speech = new FakeSpeech();
  const audio = { fetch: async () => tone(300, 100) };
  const conferences = new ConferenceRooms({ clock, webhooks, core, log, audio, speech });
  const deps: TwimlEngineDeps = {
    core, webhooks, clock, speech, audio, log, conferences, recordings: new MemoryRecordingStore(), publicOrigin: 'https://127.0.0.1:8443',
  };
  return { clock, webhooks, core, log, conferences, deps };
}

describe('<Dial><Conference> in the engine', () => {
  it('joins, and when the conference ends requests the <Dial> action and runs its TwiML', async () => {
    const t = engine();
    t.webhooks
      .serve(`${BASE}/host`, '<Response><Dial action="/after"><Conference endConferenceOnExit="true">sales</Conference></Dial></Response>')
      .serve(`${BASE}/guest`, '<Response><Dial action="/after"><Conference>sales</Conference></Dial><Say>not reached</Say></Response>')
      .serve(`${BASE}/after`, '<Response><Say>goodbye</Say></Response>');
    const host = new FakeLeg(t.clock, 'CA' + '1'.repeat(32), ACCOUNT);
    const guest = new FakeLeg(t.clock, 'CA' + '2'.repeat(32), ACCOUNT);
    const hostRun = runTwiml(host, { url: `${BASE}/host` }, t.deps);
    const guestRun = runTwiml(guest, { url: `${BASE}/guest` }, t.deps);
    await t.clock.advance(100);
    expect(t.conferences.list(ACCOUNT)[0]).toMatchObject({ friendlyName: 'sales', status: 'in-progress' });
    expect(guest.framesHeard.length).toBeGreaterThan(0);
    host.farEndHangsUp();
    const [hostResult, guestResult] = await t.clock.runUntilSettled(Promise.all([hostRun, guestRun]));
    expect(hostResult.outcome).toBe('caller-hung-up');
    expect(guestResult).toMatchObject({ outcome: 'hung-up', verbs: ['Dial', 'Say'] });
    const afterRequests = t.webhooks.requests.filter((r) => r.url === `${BASE}/after`);
    expect(afterRequests.map((r) => [r.params['CallSid'], r.params['CallStatus']])).toEqual([
      [host.callSid, 'completed'],
      [guest.callSid, 'in-progress'],
    ]);
  });

  it('timeLimit and hangupOnStar make the caller leave; the next verb runs', async () => {
    const t = engine();
    t.webhooks
      .serve(`${BASE}/limited`, '<Response><Dial timeLimit="2"><Conference>r</Conference></Dial><Hangup/></Response>')
      .serve(`${BASE}/star`, '<Response><Dial hangupOnStar="true"><Conference>r</Conference></Dial><Hangup/></Response>');
    const limited = new FakeLeg(t.clock, 'CA' + '3'.repeat(32), ACCOUNT);
    const star = new FakeLeg(t.clock, 'CA' + '4'.repeat(32), ACCOUNT);
    const limitedRun = runTwiml(limited, { url: `${BASE}/limited` }, t.deps);
    const starRun = runTwiml(star, { url: `${BASE}/star` }, t.deps);
    await t.clock.advance(1000);
    star.pressDigits('1*');
    expect((await starRun).verbs).toEqual(['Dial', 'Hangup']);
    expect(limited.ended.aborted).toBe(false);
    const result = await t.clock.runUntilSettled(limitedRun);
    expect(result.verbs).toEqual(['Dial', 'Hangup']);
    expect(t.clock.now() - Date.UTC(2026, 10, 24, 12, 0, 0)).toBe(2000);
  });

  it('without conferences in the deps the <Dial> is skipped with a logged error', async () => {
    const t = engine();
    const deps = { ...t.deps, conferences: undefined };
    t.webhooks.serve(`${BASE}/x`, '<Response><Dial><Conference>r</Conference></Dial><Hangup/></Response>');
    const leg = new FakeLeg(t.clock, 'CA' + '5'.repeat(32), ACCOUNT);
    expect((await t.clock.runUntilSettled(runTwiml(leg, { url: `${BASE}/x` }, deps))).verbs).toEqual(['Dial', 'Hangup']);
    expect(t.log.codes()).toContain(12200);
  });
});

describe('conference status callbacks over real HTTP', () => {
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await new WebhookReceiver().start();
    receiver.on('/events', (_request, res) => {
      res.writeHead(204);
      res.end();
    });
  });
  afterEach(() => receiver.stop());

  it("are signed with the account's auth token (twilio.validateRequest accepts them)", async () => {
    const clock = new FakeClock();
    const webhooks = new HttpWebhookClient({ authToken: () => TOKEN, clock: systemClock });
    const rooms = new ConferenceRooms({
      clock, webhooks, core: new FakeTelephonyCore(), log: new MemoryLogger(), speech: new FakeSpeech(), audio: { fetch: async () => tone(300, 100) },
    });
    const leg = new FakeLeg(clock, 'CA' + '6'.repeat(32), ACCOUNT);
    const url = `${receiver.origin}/events`;
    const left = rooms.joinFromTwiml(leg, {
      name: 'signed', startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, muted: false, waitMethod: 'POST',
      maxParticipants: 250, statusCallback: { url, method: 'POST', events: ['start', 'end', 'join', 'leave'] },
    });
    leg.farEndHangsUp();
    await left;
    await rooms.idle();
    expect(receiver.received.map((r) => r.params['StatusCallbackEvent'])).toEqual(['participant-join', 'conference-start', 'participant-leave', 'conference-end']);
    for (const request of receiver.received) {
      expect(validateRequest(TOKEN, String(request.headers['x-twilio-signature']), url, request.params)).toBe(true);
      expect(validateRequest('0'.repeat(32), String(request.headers['x-twilio-signature']), url, request.params)).toBe(false);
    }
    expect(receiver.received[3].params).toMatchObject({ ReasonConferenceEnded: 'last-participant-left', CallSidEndingConference: leg.callSid, FriendlyName: 'signed' });
  });
});
