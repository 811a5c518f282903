import { FakeClock, isConferenceError, ParticipantView } from '@switchboard/sandbox-model';
import { pcm } from '@switchboard/sandbox-util-audio';
import { tone } from '../audio/tone-and-silence';
import { FakeLeg } from '../testing/fake-leg';
import { FakeSpeech, FakeTelephonyCore, FakeWebhooks, MemoryLogger } from '../testing/fakes';
import { ConferenceNoun } from '../twiml/twiml-verbs';
import { ConferenceRooms } from './conference-rooms';
import { FRAME_SAMPLES } from './mixer';

const ACCOUNT = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const CALLBACK = 'http://127.0.0.1:3000/conference-events';
const ALL_EVENTS = ['start', 'end', 'join', 'leave', 'mute', 'hold', 'modify', 'speaker', 'announcement'] as const;

function setup() {
  const clock = new FakeClock();
  const webhooks = new FakeWebhooks();
  const core = new FakeTelephonyCore();
  const log = new MemoryLogger();
  const audio = { fetch: jest.fn(async () => tone(300, 100)) };
  const rooms = new ConferenceRooms({ clock, webhooks, core, log, audio, speech: new FakeSpeech() });
  const noun = (overrides: Partial<ConferenceNoun> = {}): ConferenceNoun => ({
    name: 'room-1', startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, muted: false,
    waitMethod: 'POST', maxParticipants: 250, ...overrides,
  });
  let next = 1;
  const leg = () => new FakeLeg(clock, `CA${(next++).toString(16).padStart(32, '0')}`, ACCOUNT);
  const join = (who: FakeLeg, overrides: Partial<ConferenceNoun> = {}) => rooms.joinFromTwiml(who, noun(overrides));
  /** Each leg says a constant value for one 20 ms tick. */
  const tick = async (...said: [FakeLeg, number][]) => {
    for (const [who, value] of said) who.speak(pcm(new Int16Array(FRAME_SAMPLES).fill(value)));
    await clock.advance(20);
  };
  const events = () => webhooks.notifications.map((n) => `${n.params['StatusCallbackEvent']}${n.params['CallSid'] ? ':' + n.params['CallSid'].slice(-1) : ''}`);
  const sid = () => rooms.list(ACCOUNT)[0].sid;
  return { clock, webhooks, core, log, audio, rooms, noun, leg, join, tick, events, sid };
}

const lastHeard = (leg: FakeLeg) => leg.framesHeard[leg.framesHeard.length - 1].samples;
const heardValue = (leg: FakeLeg) => lastHeard(leg)[0];
const isVarying = (samples: Int16Array) => new Set(samples).size > 10;
const callback = { url: CALLBACK, method: 'POST' as const, events: [...ALL_EVENTS] };

describe('ConferenceRooms: start and end rules', () => {
  it('waits with hold music until a startConferenceOnEnter participant joins; then participants hear each other', async () => {
    const t = setup();
    const [waiter, host] = [t.leg(), t.leg()];
    void t.join(waiter, { startConferenceOnEnter: false });
    await t.tick([waiter, 1000]);
    expect(t.rooms.list(ACCOUNT)[0].status).toBe('init');
    expect(isVarying(lastHeard(waiter))).toBe(true); // the built-in hold music
    void t.join(host);
    expect(t.rooms.list(ACCOUNT)[0].status).toBe('in-progress');
    await t.tick([waiter, 1000], [host, 2000]);
    expect([heardValue(waiter), heardValue(host)]).toEqual([2000, 1000]);
  });

  it('waitUrl="" waits in silence; a waitUrl TwiML document is played', async () => {
    const t = setup();
    const silentWaiter = t.leg();
    void t.join(silentWaiter, { startConferenceOnEnter: false, waitUrl: '' });
    await t.tick();
    expect(lastHeard(silentWaiter).every((s) => s === 0)).toBe(true);
    t.webhooks.serve('http://127.0.0.1:3000/wait', '<Response><Play>http://127.0.0.1:3000/music.wav</Play></Response>');
    const musicWaiter = t.leg();
    void t.rooms.joinFromTwiml(musicWaiter, t.noun({ name: 'other', startConferenceOnEnter: false, waitUrl: 'http://127.0.0.1:3000/wait' }));
    await t.tick();
    await t.tick();
    expect(t.audio.fetch).toHaveBeenCalledWith('http://127.0.0.1:3000/music.wav', expect.anything());
    expect(isVarying(lastHeard(musicWaiter))).toBe(true);
    expect(t.webhooks.requests[0].params).toMatchObject({ FriendlyName: 'other', CallSid: musicWaiter.callSid, AccountSid: ACCOUNT });
  });

  it('ends when an endConferenceOnExit participant leaves: everyone leaves (their joins resolve), reason and CallSid given', async () => {
    const t = setup();
    const [moderator, a, b] = [t.leg(), t.leg(), t.leg()];
    void t.join(moderator, { endConferenceOnExit: true, statusCallback: callback });
    const aLeft = t.join(a);
    const bLeft = t.join(b);
    await t.tick();
    moderator.farEndHangsUp();
    await expect(aLeft).resolves.toEqual({ conferenceSid: t.sid() });
    await bLeft;
    expect(a.ended.aborted).toBe(false); // their TwiML goes on after <Dial>
    expect(t.rooms.list(ACCOUNT)[0]).toMatchObject({
      status: 'completed', reasonConferenceEnded: 'participant-with-end-conference-on-exit-left', callSidEndingConference: moderator.callSid,
    });
    await t.rooms.idle();
    const end = t.webhooks.notifications.at(-1);
    expect(end?.params).toMatchObject({
      StatusCallbackEvent: 'conference-end', ReasonConferenceEnded: 'participant-with-end-conference-on-exit-left',
      CallSidEndingConference: moderator.callSid,
    });
  });

  it('ends when the last participant leaves; the name then starts a new conference', async () => {
    const t = setup();
    const only = t.leg();
    const left = t.join(only);
    await t.tick();
    only.farEndHangsUp();
    await left;
    expect(t.rooms.list(ACCOUNT)[0]).toMatchObject({ status: 'completed', reasonConferenceEnded: 'last-participant-left' });
    void t.join(t.leg());
    expect(t.rooms.list(ACCOUNT).map((c) => c.status)).toEqual(['in-progress', 'completed']);
  });

  it('a stop signal (redirect, timeLimit, hangupOnStar) makes the participant leave; another account has its own rooms', async () => {
    const t = setup();
    const stop = new AbortController();
    const mine = t.leg();
    const left = t.rooms.joinFromTwiml(mine, t.noun(), stop.signal);
    const other = new FakeLeg(t.clock, 'CA' + 'f'.repeat(32), 'AC' + '0'.repeat(32));
    void t.rooms.joinFromTwiml(other, t.noun());
    expect(t.rooms.list(ACCOUNT)).toHaveLength(1);
    expect(t.rooms.fetch(ACCOUNT, t.rooms.list('AC' + '0'.repeat(32))[0].sid)).toBeUndefined();
    stop.abort();
    await left;
    expect(t.rooms.list(ACCOUNT)[0].status).toBe('completed');
  });
});

describe('ConferenceRooms: mixing through the room', () => {
  it('held: not heard by others and hears the hold music; muted: heard by nobody but hears all; coach: heard by one', async () => {
    const t = setup();
    const [a, b, c] = [t.leg(), t.leg(), t.leg()];
    for (const who of [a, b, c]) void t.join(who);
    await t.tick([a, 1000], [b, 2000], [c, 4000]);
    expect([heardValue(a), heardValue(b), heardValue(c)]).toEqual([6000, 5000, 3000]);

    expect(isConferenceError(t.rooms.updateParticipant(ACCOUNT, t.sid(), a.callSid, { hold: true }))).toBe(false);
    await t.tick([a, 1000], [b, 2000], [c, 4000]);
    expect([heardValue(b), heardValue(c)]).toEqual([4000, 2000]);
    expect(isVarying(lastHeard(a))).toBe(true);

    t.rooms.updateParticipant(ACCOUNT, t.sid(), a.callSid, { hold: false, muted: true });
    await t.tick([a, 1000], [b, 2000], [c, 4000]);
    expect([heardValue(a), heardValue(b), heardValue(c)]).toEqual([6000, 4000, 2000]);

    t.rooms.updateParticipant(ACCOUNT, t.sid(), a.callSid, { muted: false, coaching: true, callSidToCoach: b.callSid });
    await t.tick([a, 1000], [b, 2000], [c, 4000]);
    expect([heardValue(a), heardValue(b), heardValue(c)]).toEqual([6000, 5000, 2000]);
  });

  it('beeps on enter and exit as the beep attribute says', async () => {
    const t = setup();
    const listener = t.leg();
    void t.join(listener);
    const quiet = t.leg();
    void t.join(quiet, { beep: false });
    await t.tick();
    expect(lastHeard(listener).every((s) => s === 0)).toBe(true);
    const beeper = t.leg();
    void t.join(beeper, { beep: 'onEnter' });
    await t.tick();
    await t.tick();
    expect(isVarying(lastHeard(listener))).toBe(true);
    await t.clock.advance(400);
    expect(lastHeard(listener).every((s) => s === 0)).toBe(true);
    beeper.farEndHangsUp(); // onEnter only: no exit beep
    await t.tick();
    expect(lastHeard(listener).every((s) => s === 0)).toBe(true);
  });
});

describe('ConferenceRooms: status callbacks', () => {
  it('sends only the listed events, in order, with Twilio parameter names; the first statusCallback wins', async () => {
    const t = setup();
    const [a, b] = [t.leg(), t.leg()];
    void t.join(a, { startConferenceOnEnter: false, statusCallback: { url: CALLBACK, method: 'POST', events: ['start', 'end', 'join', 'leave', 'hold'] }, participantLabel: 'customer' });
    void t.join(b, { statusCallback: { url: 'http://127.0.0.1:3000/ignored', method: 'GET', events: ['mute'] } });
    t.rooms.updateParticipant(ACCOUNT, t.sid(), 'customer', { hold: true });
    t.rooms.updateParticipant(ACCOUNT, t.sid(), 'customer', { muted: true }); // mute is not listed
    t.rooms.updateParticipant(ACCOUNT, t.sid(), 'customer', { hold: false });
    b.farEndHangsUp();
    await t.clock.advance(20);
    await t.rooms.idle();
    expect(t.webhooks.notifications.every((n) => n.url === CALLBACK && n.method === 'POST')).toBe(true);
    expect(t.events()).toEqual([
      'participant-join:1', 'participant-join:2', 'conference-start', 'participant-hold:1', 'participant-unhold:1', 'participant-leave:2',
    ]);
    const join = t.webhooks.notifications[0].params;
    expect(join).toEqual({
      AccountSid: ACCOUNT, ConferenceSid: t.sid(), FriendlyName: 'room-1', SequenceNumber: '1', StatusCallbackEvent: 'participant-join',
      Timestamp: new Date(t.clock.now()).toUTCString().replace('GMT', '+0000'), CallSid: a.callSid, Muted: 'false', Hold: 'false',
      Coaching: 'false', EndConferenceOnExit: 'false', StartConferenceOnEnter: 'false', ParticipantLabel: 'customer',
    });
    expect(t.webhooks.notifications.map((n) => n.params['SequenceNumber'])).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('reports speech start and stop for the speaker event', async () => {
    const t = setup();
    const [a, b] = [t.leg(), t.leg()];
    void t.join(a, { statusCallback: { url: CALLBACK, method: 'POST', events: ['speaker'] } });
    void t.join(b);
    await t.tick([a, 3000]);
    for (let i = 0; i < 30; i++) await t.tick();
    expect(t.events()).toEqual(['participant-speech-start:1', 'participant-speech-stop:1']);
  });
});

describe('ConferenceRooms as ConferenceControl', () => {
  it('lists and fetches per account, with filters', async () => {
    const t = setup();
    void t.join(t.leg());
    void t.rooms.joinFromTwiml(t.leg(), t.noun({ name: 'two', startConferenceOnEnter: false }));
    expect(t.rooms.list(ACCOUNT).map((c) => c.friendlyName).sort()).toEqual(['room-1', 'two']);
    expect(t.rooms.list(ACCOUNT, { status: 'init' }).map((c) => c.friendlyName)).toEqual(['two']);
    expect(t.rooms.list(ACCOUNT, { friendlyName: 'room-1' })).toHaveLength(1);
    expect(t.rooms.list('AC' + '1'.repeat(32))).toEqual([]);
    expect(t.rooms.fetch(ACCOUNT, 'CF' + '0'.repeat(32))).toBeUndefined();
  });

  it('complete: every participant is hung up, conference-ended-via-api; unknown SIDs are 20404', async () => {
    const t = setup();
    const [a, b] = [t.leg(), t.leg()];
    void t.join(a);
    void t.join(b);
    const result = t.rooms.complete(ACCOUNT, t.sid());
    expect(result).toMatchObject({ status: 'completed', reasonConferenceEnded: 'conference-ended-via-api' });
    expect([a.ended.aborted, b.ended.aborted]).toEqual([true, true]);
    expect(t.rooms.complete(ACCOUNT, 'CF' + '0'.repeat(32))).toMatchObject({ error: { code: 20404, status: 404 } });
    expect(t.rooms.complete('AC' + '1'.repeat(32), t.sid())).toMatchObject({ error: { code: 20404 } });
  });

  it('announce plays to everyone and sends announcement-end; a failing URL sends announcement-fail', async () => {
    const t = setup();
    const [a, b] = [t.leg(), t.leg()];
    void t.join(a, { statusCallback: { url: CALLBACK, method: 'POST', events: ['announcement'] } });
    void t.join(b);
    t.webhooks.serve('http://127.0.0.1:3000/announce', '<Response><Say>hello there</Say></Response>');
    expect(t.rooms.announce(ACCOUNT, t.sid(), 'http://127.0.0.1:3000/announce', 'POST')).toMatchObject({ status: 'in-progress' });
    await t.tick();
    await t.tick();
    expect(isVarying(lastHeard(a)) && isVarying(lastHeard(b))).toBe(true);
    await t.clock.advance(400);
    await t.rooms.idle();
    expect(t.events()).toEqual(['announcement-end']);
    t.rooms.announce(ACCOUNT, t.sid(), 'http://127.0.0.1:3000/missing', 'POST');
    await t.clock.advance(40);
    await t.rooms.idle();
    expect(t.events()).toEqual(['announcement-end', 'announcement-fail']);
    expect(t.rooms.announce(ACCOUNT, t.sid(), 'not a url', 'POST')).toMatchObject({ error: { code: 20001, status: 400 } });
    t.rooms.complete(ACCOUNT, t.sid());
    expect(t.rooms.announce(ACCOUNT, t.sid(), 'http://127.0.0.1:3000/announce', 'POST')).toMatchObject({ error: { code: 21220 } });
  });

  it('listParticipants / fetchParticipant by SID or label; unknown ones are 20404', async () => {
    const t = setup();
    const [a, b] = [t.leg(), t.leg()];
    void t.join(a, { participantLabel: 'customer' });
    void t.join(b, { endConferenceOnExit: true });
    const list = t.rooms.listParticipants(ACCOUNT, t.sid()) as ParticipantView[];
    expect(list.map((p) => [p.callSid, p.label, p.status, p.endConferenceOnExit])).toEqual([
      [a.callSid, 'customer', 'connected', false],
      [b.callSid, undefined, 'connected', true],
    ]);
    expect(t.rooms.fetchParticipant(ACCOUNT, t.sid(), 'customer')).toMatchObject({ callSid: a.callSid, conferenceSid: t.sid(), accountSid: ACCOUNT });
    expect(t.rooms.fetchParticipant(ACCOUNT, t.sid(), b.callSid)).toMatchObject({ callSid: b.callSid });
    expect(t.rooms.fetchParticipant(ACCOUNT, t.sid(), 'nobody')).toMatchObject({ error: { code: 20404, status: 404 } });
    expect(t.rooms.listParticipants(ACCOUNT, 'CF' + '0'.repeat(32))).toMatchObject({ error: { code: 20404 } });
  });

  it('addParticipant dials, is queued then ringing, joins when answered and hangs up when it leaves', async () => {
    const t = setup();
    const agent = t.leg();
    void t.join(agent, { participantLabel: 'agent', statusCallback: callback });
    const added = await t.rooms.addParticipant({
      accountSid: ACCOUNT, conference: 'room-1', from: '+14155550100', to: 'client:alice', timeoutSeconds: 20,
      startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, muted: false, label: 'alice',
    });
    expect(added).toMatchObject({ status: 'queued', label: 'alice', conferenceSid: t.sid() });
    const request = t.core.originated[0];
    expect(request).toMatchObject({ accountSid: ACCOUNT, from: '+14155550100', to: { kind: 'client', identity: 'alice' }, timeoutSeconds: 20 });
    const callSid = (added as ParticipantView).callSid;
    t.core.emit({ callSid, status: 'ringing', at: t.clock.now() });
    expect(t.rooms.fetchParticipant(ACCOUNT, t.sid(), 'alice')).toMatchObject({ status: 'ringing' });
    expect(t.rooms.updateParticipant(ACCOUNT, t.sid(), 'alice', { hold: true })).toMatchObject({ error: { code: 21220 } });
    const alice = new FakeLeg(t.clock, callSid, ACCOUNT);
    request.onAnswered(alice);
    expect(t.rooms.fetchParticipant(ACCOUNT, t.sid(), 'alice')).toMatchObject({ status: 'connected' });
    await t.tick([alice, 1500], [agent, 500]);
    expect([heardValue(agent), heardValue(alice)]).toEqual([1500, 500]);
    expect(t.rooms.removeParticipant(ACCOUNT, t.sid(), 'alice')).toBe(true);
    await t.clock.advance(0);
    expect(alice.ended.aborted).toBe(true);
    expect(t.rooms.fetchParticipant(ACCOUNT, t.sid(), 'alice')).toMatchObject({ error: { code: 20404 } });
  });

  it('addParticipant errors: bad To 21217, unknown conference SID 20404, duplicate label 20001; an unanswered call leaves', async () => {
    const t = setup();
    const base = {
      accountSid: ACCOUNT, from: '+14155550100', timeoutSeconds: 20, startConferenceOnEnter: true, endConferenceOnExit: false,
      beep: false as const, muted: false,
    };
    expect(await t.rooms.addParticipant({ ...base, conference: 'x', to: 'alice' })).toMatchObject({ error: { code: 21217, status: 400 } });
    expect(await t.rooms.addParticipant({ ...base, conference: 'CF' + 'a'.repeat(32), to: '+14155550111' })).toMatchObject({ error: { code: 20404 } });
    const first = (await t.rooms.addParticipant({ ...base, conference: 'new-room', to: '+14155550111', label: 'x' })) as ParticipantView;
    expect(await t.rooms.addParticipant({ ...base, conference: first.conferenceSid, to: '+14155550112', label: 'x' })).toMatchObject({ error: { code: 20001 } });
    expect(await t.rooms.addParticipant({ ...base, conference: 'coached', to: '+14155550113', coaching: true, callSidToCoach: first.callSid }))
      .toMatchObject({ error: { code: 20001 } });
    expect(t.rooms.list(ACCOUNT, { friendlyName: 'coached' })).toEqual([]); // a refused request leaves no room behind
    t.core.emit({ callSid: first.callSid, status: 'no-answer', at: t.clock.now() });
    expect(t.rooms.listParticipants(ACCOUNT, first.conferenceSid)).toEqual([]);
    expect(t.rooms.fetch(ACCOUNT, first.conferenceSid)?.status).toBe('completed');
  });

  it('updateParticipant validates coaching and URLs; removing the last participant ends it as kicked', async () => {
    const t = setup();
    const a = t.leg();
    void t.join(a);
    expect(t.rooms.updateParticipant(ACCOUNT, t.sid(), a.callSid, { coaching: true })).toMatchObject({ error: { code: 20001 } });
    expect(t.rooms.updateParticipant(ACCOUNT, t.sid(), a.callSid, { holdUrl: 'nope' })).toMatchObject({ error: { code: 20001 } });
    expect(t.rooms.updateParticipant(ACCOUNT, t.sid(), 'CA' + '9'.repeat(32), { muted: true })).toMatchObject({ error: { code: 20404 } });
    expect(t.rooms.updateParticipant(ACCOUNT, t.sid(), a.callSid, { endConferenceOnExit: true })).toMatchObject({ endConferenceOnExit: true });
    expect(t.rooms.removeParticipant(ACCOUNT, t.sid(), 'nobody')).toMatchObject({ error: { code: 20404 } });
    expect(t.rooms.removeParticipant(ACCOUNT, t.sid(), a.callSid)).toBe(true);
    expect(a.ended.aborted).toBe(true);
    expect(t.rooms.list(ACCOUNT)[0].reasonConferenceEnded).toBe('participant-with-end-conference-on-exit-left');
  });
});
