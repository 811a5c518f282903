import { systemClock, type LegStatusEvent } from '@switchboard/sandbox-model';
import { CallCore } from './call-core';
import type { AudioPort, FrameSource } from './media-port';
import type { OutboundRing, PartyNetwork, RingOutcome, RingRequest } from './party-network';
import { ScriptedPhoneNetwork } from './scripted-phone-network';

/** An audio port driven by the test: `say()` emits a frame, `hear()` pulls what the core sends. */
class TestPort implements AudioPort {
  private readonly listeners = new Set<(frame: Int16Array) => void>();
  private readonly digitListeners = new Set<(digit: string) => void>();
  private source: FrameSource | undefined;
  closed = false;
  onFrame(listener: (frame: Int16Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  onDigit(listener: (digit: string) => void): () => void {
    this.digitListeners.add(listener);
    return () => this.digitListeners.delete(listener);
  }
  press(digits: string): void {
    for (const digit of digits) this.digitListeners.forEach((l) => l(digit));
  }
  setSource(source: FrameSource | undefined): void {
    this.source = source;
  }
  close(): void {
    this.closed = true;
  }
  say(value: number): void {
    this.listeners.forEach((l) => l(new Int16Array(160).fill(value)));
  }
  hear(): Int16Array | undefined {
    return this.source?.();
  }
}

/** A client network whose rings the test settles by hand. */
class ManualClients implements PartyNetwork {
  readonly rings: { request: RingRequest; settle(o: RingOutcome): void; cancelled: boolean }[] = [];
  ring(request: RingRequest): OutboundRing {
    let settle!: (o: RingOutcome) => void;
    const entry = { request, settle: (o: RingOutcome) => settle(o), cancelled: false };
    this.rings.push(entry);
    return {
      ringing: Promise.resolve(),
      outcome: new Promise<RingOutcome>((r) => (settle = r)),
      cancel: () => (entry.cancelled = true),
    };
  }
}

const ACCOUNT = 'AC' + '1'.repeat(32);

function setup() {
  const clients = new ManualClients();
  const phones = new ScriptedPhoneNetwork({
    numbers: { '+14155550111': 'answersAndEchoes', '+14155550112': 'answersWithTone', '+14155550122': 'busy', '+14155550144': 'fails' },
    clock: { now: () => Date.now(), sleep: () => Promise.resolve() },
  });
  const core = new CallCore({ clients, phones, clock: systemClock });
  const events: LegStatusEvent[] = [];
  core.onLegStatus((e) => events.push(e));
  const callerPort = new TestPort();
  const answers: string[] = [];
  const caller = core.startLeg({ accountSid: ACCOUNT, from: 'client:alice', to: 'client:bob', direction: 'inbound' }, callerPort, {
    answer: async () => void answers.push('answered'),
    hangup: () => undefined,
  });
  return { core, clients, caller, callerPort, events, answers };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('CallCore.dial', () => {
  it('rings a client, answers the caller on bridge, carries audio both ways and reports completed', async () => {
    const { core, clients, caller, callerPort, events, answers } = setup();
    const outcome = core.dial(caller, { targets: [{ kind: 'client', identity: 'bob', parameters: { ticket: 'T-1' } }], timeoutSeconds: 30, answerOnBridge: true });
    await tick();
    expect(clients.rings[0].request).toMatchObject({ from: 'client:alice', to: { kind: 'client', identity: 'bob' }, parameters: { ticket: 'T-1' } });
    expect(answers).toEqual([]);
    const bobPort = new TestPort();
    let bobHungUp = false;
    clients.rings[0].settle({ kind: 'answered', party: { audio: bobPort, onHangup: () => undefined, hangup: () => (bobHungUp = true) } });
    await tick();
    await tick();
    expect(answers).toEqual(['answered']);
    callerPort.say(1000);
    expect(bobPort.hear()?.[0]).toBe(1000);
    bobPort.say(-2000);
    expect(callerPort.hear()?.[0]).toBe(-2000);
    caller.end();
    const result = await outcome;
    expect(result.status).toBe('completed');
    expect(result.dialCallSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(bobHungUp).toBe(true);
    const child = events.filter((e) => e.callSid === result.dialCallSid).map((e) => e.status);
    expect(child).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    expect(events.find((e) => e.callSid === result.dialCallSid && e.status === 'completed')?.details?.parentCallSid).toBe(caller.callSid);
  });

  it('gives no-answer when nobody answers before the timeout, and cancels the ring', async () => {
    const { core, clients, caller } = setup();
    const result = await core.dial(caller, { targets: [{ kind: 'client', identity: 'bob', parameters: {} }], timeoutSeconds: 0.05, answerOnBridge: true });
    expect(result.status).toBe('no-answer');
    expect(clients.rings[0].cancelled).toBe(true);
    expect(core.getLeg(result.dialCallSid ?? '')?.status).toBe('no-answer');
  });

  it('rings several targets at once and cancels the losers when one answers', async () => {
    const { core, clients, caller } = setup();
    const outcome = core.dial(caller, {
      targets: [{ kind: 'client', identity: 'bob', parameters: {} }, { kind: 'client', identity: 'carol', parameters: {} }],
      timeoutSeconds: 30,
      answerOnBridge: false,
    });
    await tick();
    clients.rings[1].settle({ kind: 'answered', party: { audio: new TestPort(), onHangup: (l) => setTimeout(l, 5), hangup: () => undefined } });
    const result = await outcome;
    expect(result.status).toBe('completed');
    expect(clients.rings[0].cancelled).toBe(true);
    expect(core.getLeg(clients.rings[0].request.callSid)?.status).toBe('canceled');
  });

  it.each([
    ['+14155550122', 'busy'],
    ['+14155550144', 'failed'],
  ])('dials the scripted number %s → %s', async (number, status) => {
    const { core, caller } = setup();
    const result = await core.dial(caller, { targets: [{ kind: 'number', number }], timeoutSeconds: 5, answerOnBridge: true });
    expect(result.status).toBe(status);
  });

  it('bridges to the tone number: the caller hears a 440 Hz tone', async () => {
    const { core, caller, callerPort } = setup();
    const outcome = core.dial(caller, { targets: [{ kind: 'number', number: '+14155550112' }], timeoutSeconds: 5, answerOnBridge: true, timeLimitSeconds: 0.2 });
    const heard = await new Promise<Int16Array>((resolve) => {
      const poll = setInterval(() => {
        const frame = callerPort.hear();
        if (frame && frame.some((s) => s !== 0)) {
          clearInterval(poll);
          resolve(frame);
        }
      }, 20);
    });
    expect(Math.max(...heard)).toBeGreaterThan(1000);
    expect((await outcome).status).toBe('completed');
  });

  it('returns canceled when the caller hangs up while it rings', async () => {
    const { core, clients, caller } = setup();
    const outcome = core.dial(caller, { targets: [{ kind: 'client', identity: 'bob', parameters: {} }], timeoutSeconds: 30, answerOnBridge: true });
    await tick();
    caller.end();
    expect((await outcome).status).toBe('canceled');
    expect(clients.rings[0].cancelled).toBe(true);
  });
});

describe('CallCore leg records', () => {
  it('keep the DTMF digits each party sent, per leg, for GET /sandbox/calls', async () => {
    const { core, clients, caller, callerPort } = setup();
    const outcome = core.dial(caller, { targets: [{ kind: 'client', identity: 'bob', parameters: {} }], timeoutSeconds: 30, answerOnBridge: true });
    await tick();
    const bobPort = new TestPort();
    clients.rings[0].settle({ kind: 'answered', party: { audio: bobPort, onHangup: () => undefined, hangup: () => undefined } });
    await tick();
    callerPort.press('12');
    bobPort.press('9');
    callerPort.press('#');
    caller.end();
    const { dialCallSid } = await outcome;
    expect(core.getLeg(caller.callSid)?.digits).toBe('12#');
    expect(core.getLeg(dialCallSid ?? '')?.digits).toBe('9');
  });

  it('keep only the last 64 digits of a leg', () => {
    const { core, caller, callerPort } = setup();
    callerPort.press('1'.repeat(70) + '*#');
    expect(core.getLeg(caller.callSid)?.digits).toBe('1'.repeat(62) + '*#');
  });
});

describe('CallCore.originate', () => {
  it('queues, rings and hands the answered leg to onAnswered, then completes with a duration', async () => {
    const { core, clients, events } = setup();
    let answeredSid = '';
    const { callSid } = await core.originate({
      accountSid: ACCOUNT,
      from: '+14155550199',
      to: { kind: 'client', identity: 'bob' },
      timeoutSeconds: 30,
      onAnswered: (leg) => {
        answeredSid = leg.callSid;
        leg.hangup();
      },
    });
    await tick();
    clients.rings[0].settle({ kind: 'answered', party: { audio: new TestPort(), onHangup: () => undefined, hangup: () => undefined } });
    await tick();
    expect(answeredSid).toBe(callSid);
    const statuses = events.filter((e) => e.callSid === callSid).map((e) => e.status);
    expect(statuses).toEqual(['queued', 'initiated', 'ringing', 'in-progress', 'completed']);
    expect(events[events.length - 1].durationSeconds).toBe(0);
  });

  it('ends a ringing REST call by SID as canceled', async () => {
    const { core, clients } = setup();
    const { callSid } = await core.originate({ accountSid: ACCOUNT, from: '+1', to: { kind: 'client', identity: 'bob' }, timeoutSeconds: 30, onAnswered: () => undefined });
    expect(core.endCall(callSid, 'completed')).toBe(true);
    expect(core.getLeg(callSid)?.status).toBe('canceled');
    expect(clients.rings[0].cancelled).toBe(true);
    expect(core.endCall('CA' + '0'.repeat(32), 'completed')).toBe(false);
  });
});

describe('LiveLeg', () => {
  it('plays audio over bridged audio (which is dropped meanwhile) and records what the party says', async () => {
    const { caller, callerPort } = setup();
    const recording = caller.startRecording();
    callerPort.say(5);
    callerPort.say(6);
    const played = caller.play({ sampleRate: 8000, samples: new Int16Array(320).fill(7) });
    caller.enqueueBridged(new Int16Array(160).fill(8));
    expect(callerPort.hear()?.[0]).toBe(7);
    expect(callerPort.hear()?.[0]).toBe(7);
    await played;
    expect(callerPort.hear()).toBeUndefined();
    caller.enqueueBridged(new Int16Array(160).fill(9));
    expect(callerPort.hear()?.[0]).toBe(9);
    const audio = recording.stop();
    expect(audio.samples.length).toBe(320);
    expect([audio.samples[0], audio.samples[160]]).toEqual([5, 6]);
  });

  it('sendFrame (a conference mix) is sent frame by frame, at most 10 queued, nothing after the leg ended', () => {
    const { caller, callerPort } = setup();
    for (let value = 1; value <= 12; value++) caller.sendFrame({ sampleRate: 8000, samples: new Int16Array(160).fill(value) });
    expect(callerPort.hear()?.[0]).toBe(3); // the two oldest were dropped: no delay builds up
    expect(callerPort.hear()?.[0]).toBe(4);
    caller.end();
    caller.sendFrame({ sampleRate: 8000, samples: new Int16Array(160).fill(99) });
    const rest = Array.from({ length: 10 }, () => callerPort.hear()?.[0]);
    expect(rest).not.toContain(99);
  });
});

describe('CallCore.trackLeg (legs owned elsewhere: simulated inbound callers)', () => {
  function outsideLeg(callSid: string) {
    const ended = new AbortController();
    const hangups: string[] = [];
    const leg = {
      callSid, accountSid: ACCOUNT, from: '+14155550150', to: '+14155550100', direction: 'inbound' as const,
      ended: ended.signal,
      answer: async () => undefined,
      play: async () => undefined,
      onDigit: () => () => undefined,
      startRecording: () => ({ stop: () => ({ sampleRate: 8000 as const, samples: new Int16Array(0) }) }),
      hangup: () => void hangups.push('hangup'),
    };
    return { leg, hangups };
  }
  const statusCallback = { url: 'http://127.0.0.1:3000/status', method: 'POST' as const, events: ['completed' as const] };

  it('lists the leg ringing, then in-progress, then completed with its duration and status callback', () => {
    const { core, events } = setup();
    const { leg } = outsideLeg('CA' + 'a'.repeat(32));
    const tracked = core.trackLeg(leg, statusCallback);
    expect(core.listLegs().find((l) => l.callSid === leg.callSid)).toMatchObject({ status: 'ringing', direction: 'inbound', from: '+14155550150' });
    tracked.answered();
    tracked.ended('hangup');
    const legEvents = events.filter((e) => e.callSid === leg.callSid);
    expect(legEvents.map((e) => e.status)).toEqual(['ringing', 'in-progress', 'completed']);
    expect(legEvents[2]).toMatchObject({ durationSeconds: 0, details: { statusCallback, direction: 'inbound', to: '+14155550100' } });
    expect(core.getLeg(leg.callSid)?.status).toBe('completed');
  });

  it('records who ended the leg when its owner says (the script hung up: the party; its TwiML: the sandbox)', () => {
    const { core } = setup();
    const byCaller = outsideLeg('CA' + 'e'.repeat(32));
    const byTwiml = outsideLeg('CA' + 'f'.repeat(32));
    core.trackLeg(byCaller.leg).ended('hangup', 'party');
    core.trackLeg(byTwiml.leg).ended('hangup', 'sandbox');
    expect(core.getLeg(byCaller.leg.callSid)?.endedBy).toBe('party');
    expect(core.getLeg(byTwiml.leg.callSid)?.endedBy).toBe('sandbox');
  });

  it('ends an unanswered leg canceled, or busy when its TwiML rejected it', () => {
    const { core } = setup();
    const hungUp = outsideLeg('CA' + 'b'.repeat(32));
    core.trackLeg(hungUp.leg).ended('hangup');
    const rejected = outsideLeg('CA' + 'c'.repeat(32));
    core.trackLeg(rejected.leg).ended('rejected');
    expect(core.getLeg(hungUp.leg.callSid)?.status).toBe('canceled');
    expect(core.getLeg(rejected.leg.callSid)?.status).toBe('busy');
  });

  it('hangs the leg up through its owner when the core is asked to end it (REST Status=completed)', () => {
    const { core } = setup();
    const { leg, hangups } = outsideLeg('CA' + 'd'.repeat(32));
    const tracked = core.trackLeg(leg);
    tracked.answered();
    expect(core.endCall(leg.callSid, 'completed')).toBe(true);
    expect(hangups).toEqual(['hangup']);
    tracked.ended('hangup');
    expect(core.endCall(leg.callSid, 'completed')).toBe(false);
  });
});

describe('CallCore leg records: who ended a leg, and when it rang (the Call Summary\'s disconnected_by and pdd)', () => {
  it('the caller who hangs up ended its leg itself; the sandbox ended the bridged callee\'s leg', async () => {
    const { core, clients, caller } = setup();
    const outcome = core.dial(caller, { targets: [{ kind: 'client', identity: 'bob', parameters: {} }], timeoutSeconds: 30, answerOnBridge: true });
    await tick();
    clients.rings[0].settle({ kind: 'answered', party: { audio: new TestPort(), onHangup: () => undefined, hangup: () => undefined } });
    await tick();
    await tick();
    caller.end(); // the party went away
    const { dialCallSid } = await outcome;
    const child = core.getLeg(dialCallSid ?? '');
    expect(core.getLeg(caller.callSid)?.endedBy).toBe('party');
    expect(child?.endedBy).toBe('sandbox');
    expect(child?.ringingAt).toBeGreaterThanOrEqual(child?.startedAt ?? Infinity);
  });

  it('a leg the sandbox hangs up (TwiML, REST) is ended by the sandbox; a later party hangup does not change that', () => {
    const { core, caller } = setup();
    caller.hangup();
    caller.end();
    expect(core.getLeg(caller.callSid)).toMatchObject({ endedBy: 'sandbox', status: 'canceled' });
  });
});
