import { FakeClock } from '@switchboard/sandbox-model';
import { tone } from '../audio/tone-and-silence';
import { FakeLeg } from '../testing/fake-leg';
import { FakeSpeech, FakeTelephonyCore, FakeWebhooks, MemoryLogger } from '../testing/fakes';
import { ConferenceNoun } from '../twiml/twiml-verbs';
import { ConferenceRooms } from './conference-rooms';

const ACCOUNT = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const WAIT_URL = 'http://127.0.0.1:3000/queue-wait?call=1';

/**
 * A waitUrl document with `<Say>` (a queue's "You are caller number 2"): said to the waiting leg, then
 * fetched again when it ends, as Twilio does; each `<Say>` heard in full is reported for that leg (the
 * sandbox's heardSpeech test surface), one cut off by the conference starting is not.
 */
function setup() {
  const clock = new FakeClock();
  const webhooks = new FakeWebhooks();
  const heard: Array<[string, string]> = [];
  const audio = { fetch: jest.fn(async () => tone(300, 100)) };
  const rooms = new ConferenceRooms({
    clock, webhooks, core: new FakeTelephonyCore(), log: new MemoryLogger(), audio, speech: new FakeSpeech(),
    heardSpeech: (callSid, text) => heard.push([callSid, text]),
  });
  const noun = (overrides: Partial<ConferenceNoun> = {}): ConferenceNoun => ({
    name: 'queue-room', startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, muted: false,
    waitMethod: 'GET', maxParticipants: 250, ...overrides,
  });
  let next = 1;
  const leg = () => new FakeLeg(clock, `CA${(next++).toString(16).padStart(32, '0')}`, ACCOUNT);
  /** Runs the room for `ms`, one 20 ms tick at a time (the fetches in between settle). */
  const run = async (ms: number) => {
    for (let elapsed = 0; elapsed < ms; elapsed += 20) await clock.advance(20);
  };
  return { webhooks, heard, rooms, noun, leg, run };
}

describe('ConferenceRooms: a waitUrl document that speaks', () => {
  it('says it to the waiting leg, fetches it again once it ended, and reports each <Say> heard in full', async () => {
    const t = setup();
    t.webhooks.serve(WAIT_URL, '<Response><Say>You are caller number 2 in the queue.</Say><Play>http://127.0.0.1:3000/music.wav</Play></Response>');
    const waiter = t.leg();
    void t.rooms.joinFromTwiml(waiter, t.noun({ startConferenceOnEnter: false, waitUrl: WAIT_URL }));
    // FakeSpeech: 100 ms a word (8 words), then 100 ms of music: one round is 900 ms.
    await t.run(2000);
    const fetches = t.webhooks.requests.filter((request) => request.url === WAIT_URL);
    expect(fetches.length).toBeGreaterThanOrEqual(2);
    expect(fetches[0]).toMatchObject({ method: 'GET', params: { CallSid: waiter.callSid } });
    expect(t.heard.length).toBeGreaterThanOrEqual(2);
    expect(new Set(t.heard.map(([callSid, text]) => `${callSid} ${text}`))).toEqual(new Set([`${waiter.callSid} You are caller number 2 in the queue.`]));
  });

  it('does not report a <Say> cut off by the conference starting', async () => {
    const t = setup();
    t.webhooks.serve(WAIT_URL, '<Response><Say>You are caller number 1 in the queue.</Say></Response>');
    const waiter = t.leg();
    void t.rooms.joinFromTwiml(waiter, t.noun({ startConferenceOnEnter: false, waitUrl: WAIT_URL }));
    await t.run(300);
    void t.rooms.joinFromTwiml(t.leg(), t.noun());
    await t.run(2000);
    expect(t.heard).toEqual([]);
  });
});
