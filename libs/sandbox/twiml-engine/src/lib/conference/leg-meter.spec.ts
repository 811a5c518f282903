import { FakeClock } from '@switchboard/sandbox-model';
import { pcm } from '@switchboard/sandbox-util-audio';
import { tone } from '../audio/tone-and-silence';
import { FakeLeg } from '../testing/fake-leg';
import { FakeSpeech, FakeTelephonyCore, FakeWebhooks, MemoryLogger } from '../testing/fakes';
import { ConferenceRooms } from './conference-rooms';
import { LegAudioMeter, MAX_METER_WINDOW_MS } from './leg-meter';
import { FRAME_SAMPLES } from './mixer';

const ACCOUNT = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const dc = (value: number) => new Int16Array(FRAME_SAMPLES).fill(value);

function setup() {
  const clock = new FakeClock();
  const rooms = new ConferenceRooms({
    clock,
    webhooks: new FakeWebhooks(),
    core: new FakeTelephonyCore(),
    log: new MemoryLogger(),
    audio: { fetch: jest.fn(async () => tone(300, 100)) },
    speech: new FakeSpeech(),
  });
  let next = 1;
  const leg = () => new FakeLeg(clock, `CA${(next++).toString(16).padStart(32, '0')}`, ACCOUNT);
  const join = (who: FakeLeg) =>
    void rooms.joinFromTwiml(who, {
      name: 'metered', startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, muted: false, waitMethod: 'POST', maxParticipants: 250,
    });
  /** `ticks` 20 ms ticks in which each leg says a constant value. */
  const talk = async (ticks: number, ...said: [FakeLeg, number][]) => {
    for (let i = 0; i < ticks; i++) {
      for (const [who, value] of said) who.speak(pcm(dc(value)));
      await clock.advance(20);
    }
  };
  const hold = (who: FakeLeg, hold: boolean) => {
    const result = rooms.updateParticipant(ACCOUNT, rooms.list(ACCOUNT)[0].sid, who.callSid, { hold });
    expect(result).not.toHaveProperty('error');
  };
  return { rooms, leg, join, talk, hold };
}

describe('ConferenceRooms.legAudio (the leg-audio test hook)', () => {
  it('a participant hears each other participant as its own source, never itself', async () => {
    const t = setup();
    const [a, b, c] = [t.leg(), t.leg(), t.leg()];
    [a, b, c].forEach(t.join);
    await t.talk(50, [a, 1000], [b, 2000], [c, 4000]);
    const heard = t.rooms.legAudio(a.callSid, 1000);
    expect(heard).toMatchObject({ friendlyName: 'metered', windowMs: 1000, frames: 50, rms: 6000 });
    expect(Object.keys(heard?.sources ?? {}).sort()).toEqual([b.callSid, c.callSid].sort());
    expect(heard?.sources[b.callSid]).toEqual({ rms: 2000, dbfs: -24.3 });
    expect(heard?.sources[c.callSid].rms).toBe(4000);
  });

  it('a held participant hears only its hold music, and is absent from the others\' mix', async () => {
    const t = setup();
    const [agent, customer, colleague] = [t.leg(), t.leg(), t.leg()];
    [agent, customer, colleague].forEach(t.join);
    t.hold(customer, true);
    await t.talk(50, [agent, 1000], [customer, 3000], [colleague, 2000]);

    const customerHeard = t.rooms.legAudio(customer.callSid, 1000);
    expect(Object.keys(customerHeard?.sources ?? {})).toEqual(['hold']);
    expect(customerHeard?.sources['hold'].rms).toBeGreaterThan(100);
    expect(customerHeard?.rms).toBe(customerHeard?.sources['hold'].rms);

    const agentHeard = t.rooms.legAudio(agent.callSid, 1000);
    expect(Object.keys(agentHeard?.sources ?? {})).toEqual([colleague.callSid]);
    expect(agentHeard?.rms).toBe(2000);

    // Resumed: the hold music is gone from what the customer is sent; the agents are back in it.
    t.hold(customer, false);
    await t.talk(50, [agent, 1000], [customer, 3000], [colleague, 2000]);
    const resumed = t.rooms.legAudio(customer.callSid, 1000);
    expect(Object.keys(resumed?.sources ?? {}).sort()).toEqual([agent.callSid, colleague.callSid].sort());
    expect(resumed?.rms).toBe(3000);
    expect(t.rooms.legAudio(agent.callSid, 1000)?.sources[customer.callSid].rms).toBe(3000);
  });

  it('counts a silent stretch of the window as silence, and forgets a participant once it left', async () => {
    const t = setup();
    const [a, b] = [t.leg(), t.leg()];
    [a, b].forEach(t.join);
    await t.talk(25, [b, 1000]);
    await t.talk(25);
    expect(t.rooms.legAudio(a.callSid, 1000)?.sources[b.callSid].rms).toBeCloseTo(1000 * Math.SQRT1_2, 0);
    expect(t.rooms.legAudio(a.callSid, 400)).toMatchObject({ frames: 20, rms: 0, dbfs: null, sources: {} });
    expect(t.rooms.legAudio('CA' + 'f'.repeat(32))).toBeUndefined();
    b.farEndHangsUp();
    await t.talk(1);
    expect(t.rooms.legAudio(b.callSid)).toBeUndefined();
    expect(t.rooms.legAudio(a.callSid)).toBeDefined();
  });
});

describe('LegAudioMeter', () => {
  it('keeps at most the longest window and clamps the asked window to it (default 1 s)', () => {
    const meter = new LegAudioMeter();
    for (let at = 20; at <= 20_000; at += 20) meter.record(at, dc(100), [['x', dc(100)]]);
    expect(meter.read(20_000)).toMatchObject({ windowMs: 1000, frames: 50, rms: 100, dbfs: -50.3 });
    expect(meter.read(20_000, 60_000)).toMatchObject({ windowMs: MAX_METER_WINDOW_MS, frames: MAX_METER_WINDOW_MS / 20 });
    expect(meter.read(40_000).frames).toBe(0);
  });
});
