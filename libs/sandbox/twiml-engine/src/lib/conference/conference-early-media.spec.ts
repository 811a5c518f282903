import { AddParticipantRequest, FakeClock, ParticipantView } from '@switchboard/sandbox-model';
import { pcm } from '@switchboard/sandbox-util-audio';
import { tone } from '../audio/tone-and-silence';
import { FakeLeg } from '../testing/fake-leg';
import { FakeSpeech, FakeTelephonyCore, FakeWebhooks, MemoryLogger } from '../testing/fakes';
import { ringbackCadence } from './audio-sources';
import { ConferenceRooms } from './conference-rooms';
import { FRAME_SAMPLES } from './mixer';

const ACCOUNT = 'ACefc1f744e4b84f26a34fcf28eeb49aac';

/** An agent alone in a started conference, and a way to dial another participant into it. */
async function setup() {
  const clock = new FakeClock();
  const core = new FakeTelephonyCore();
  const rooms = new ConferenceRooms({
    clock, webhooks: new FakeWebhooks(), core, log: new MemoryLogger(), audio: { fetch: jest.fn(async () => tone(300, 100)) }, speech: new FakeSpeech(),
  });
  const agent = new FakeLeg(clock, `CA${'a'.repeat(32)}`, ACCOUNT);
  void rooms.joinFromTwiml(agent, { name: 'anchor', startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, muted: false, waitMethod: 'POST', maxParticipants: 250 });
  const add = async (extra: Partial<AddParticipantRequest>) => {
    const added = (await rooms.addParticipant({
      accountSid: ACCOUNT, conference: 'anchor', from: '+14155550100', to: '+14155550123', timeoutSeconds: 30,
      startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, muted: false, ...extra,
    })) as ParticipantView;
    return { callSid: added.callSid, request: core.originated[core.originated.length - 1] };
  };
  const ring = (callSid: string) => core.emit({ callSid, status: 'ringing', at: clock.now() });
  /** What the agent was sent over the next `ms` (it says nothing itself). */
  const agentHears = async (ms = 20) => {
    const from = agent.framesHeard.length;
    await clock.advance(ms);
    return agent.framesHeard.slice(from).map((frame) => frame.samples);
  };
  return { clock, core, rooms, agent, add, ring, agentHears };
}

const silent = (frames: Int16Array[]) => frames.length > 0 && frames.every((frame) => frame.every((sample) => sample === 0));

describe('ConferenceRooms: EarlyMedia', () => {
  it("a ringing phone number's ringback (2 s on, 4 s off) is heard by the conference until it answers", async () => {
    const t = await setup();
    const { callSid, request } = await t.add({ earlyMedia: true });
    expect(silent(await t.agentHears())).toBe(true); // queued: nothing rings yet
    t.ring(callSid);
    const [first] = await t.agentHears();
    expect(first).toEqual(ringbackCadence().subarray(0, FRAME_SAMPLES));
    expect(silent(await t.agentHears(1980))).toBe(false); // the rest of the 2 s on
    expect(silent(await t.agentHears(4000))).toBe(true); // the 4 s off
    expect(silent(await t.agentHears(40))).toBe(false); // and on again
    const callee = new FakeLeg(t.clock, callSid, ACCOUNT);
    request.onAnswered(callee);
    callee.speak(pcm(new Int16Array(FRAME_SAMPLES).fill(700)));
    const [answered] = await t.agentHears();
    expect(answered.every((sample) => sample === 700)).toBe(true); // the callee, no ringback under it
  });

  it('a number that rings before its SID is handed back (the phone network rings at once) is heard too', async () => {
    const t = await setup();
    const originate = t.core.originate.bind(t.core);
    jest.spyOn(t.core, 'originate').mockImplementation(async (request) => {
      const placed = await originate(request);
      t.ring(placed.callSid);
      return placed;
    });
    const { callSid } = await t.add({ earlyMedia: true });
    expect(t.rooms.fetchParticipant(ACCOUNT, t.rooms.list(ACCOUNT)[0].sid, callSid)).toMatchObject({ status: 'ringing' });
    const [first] = await t.agentHears();
    expect(first).toEqual(ringbackCadence().subarray(0, FRAME_SAMPLES));
  });

  it('the ringback stops when the number does not answer; the agent stays in the conference', async () => {
    const t = await setup();
    const { callSid } = await t.add({ earlyMedia: true });
    t.ring(callSid);
    expect(silent(await t.agentHears(100))).toBe(false);
    t.core.emit({ callSid, status: 'no-answer', at: t.clock.now() });
    expect(silent(await t.agentHears(1000))).toBe(true);
    expect(t.rooms.list(ACCOUNT)[0].status).toBe('in-progress');
  });

  it('without EarlyMedia, or for a client (no network ringback), the conference hears nothing while it rings', async () => {
    const t = await setup();
    const quiet = await t.add({ earlyMedia: false, label: 'quiet' });
    const client = await t.add({ earlyMedia: true, to: 'client:bob', label: 'bob' });
    t.ring(quiet.callSid);
    t.ring(client.callSid);
    expect(silent(await t.agentHears(1000))).toBe(true);
  });
});

describe('ConferenceRooms: TimeLimit', () => {
  it("hangs the participant's call up TimeLimit seconds after it answered, not counting the ringing", async () => {
    const t = await setup();
    const { callSid, request } = await t.add({ timeLimitSeconds: 60 });
    t.ring(callSid);
    await t.clock.advance(10_000);
    const callee = new FakeLeg(t.clock, callSid, ACCOUNT);
    request.onAnswered(callee);
    await t.clock.advance(59_980);
    expect(callee.ended.aborted).toBe(false);
    expect(t.rooms.fetchParticipant(ACCOUNT, t.rooms.list(ACCOUNT)[0].sid, callSid)).toMatchObject({ status: 'connected' });
    await t.clock.advance(20);
    expect(callee.ended.aborted).toBe(true);
    expect(t.agent.ended.aborted).toBe(false);
  });

  it('no TimeLimit: the call stays up', async () => {
    const t = await setup();
    const { callSid, request } = await t.add({});
    const callee = new FakeLeg(t.clock, callSid, ACCOUNT);
    request.onAnswered(callee);
    await t.clock.advance(120_000);
    expect(callee.ended.aborted).toBe(false);
  });
});
