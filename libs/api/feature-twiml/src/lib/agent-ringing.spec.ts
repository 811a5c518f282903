import { loadAppConfig } from '@switchboard/api-data-access-config';
import type { CallsRepository, RingOutcomeEntry, RingOutcomesRepository } from '@switchboard/api-data-access-db';
import { CallProgressEvents, type CallProgressNotice } from '@switchboard/api-data-access-telephony';
import { FakeConferenceCommands } from '@switchboard/api-data-access-telephony/testing';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { AgentRinging, RECHECK_AFTER_TIMEOUT_MS, type AgentRingRequest } from './agent-ringing';

const CUSTOMER = `CA${'c'.repeat(32)}`;
const CONFERENCE = `CF${'f'.repeat(32)}`;
const REQUEST: AgentRingRequest = { customerCallSid: CUSTOMER, customerNumber: '+14155550150', identities: ['alice', 'bob'], timeoutSeconds: 20 };
const VOICEMAIL = { name: 'redirectCall', callSid: CUSTOMER, twiml: { path: WEBHOOK_ROUTES.dialComplete, query: { anchor: 'unanswered' } } };

/** The service over the fake provider, a real announcement channel, call records kept in `recorded`, ring outcomes in `outcomes`. */
function setUp(env: Record<string, string> = {}) {
  const fake = new FakeConferenceCommands();
  fake.calls.set(CUSTOMER, 'in-progress');
  const progress = new CallProgressEvents();
  const recorded = new Map<string, string>();
  const calls = { findBySid: async (sid: string) => (recorded.has(sid) ? { status: recorded.get(sid) } : undefined) } as unknown as CallsRepository;
  const outcomes: string[] = [];
  const outcomesRepository = {
    record: async (callSid: string, entries: readonly RingOutcomeEntry[]) => {
      for (const entry of entries) outcomes.push(`${callSid === CUSTOMER ? '' : `${callSid} `}${entry.identity} ${entry.outcome}`);
      return [...entries];
    },
  } as unknown as RingOutcomesRepository;
  const ringing = new AgentRinging(fake, progress, calls, loadAppConfig({ PUBLIC_BASE_URL: 'https://switchboard.test', ...env }), outcomesRepository);
  ringing.onModuleInit();
  const legs = () => [...fake.calls.keys()].filter((sid) => sid !== CUSTOMER);
  const commands = (name: string) => fake.received.filter((command) => command.name === name);
  const status = (callSid: string, callStatus: string) => progress.publish({ kind: 'call-status', callSid, callStatus });
  const conference = (event: string, callSid: string | null, label: string | null, friendlyName = `sb-${CUSTOMER}`) =>
    progress.publish({ kind: 'conference', conferenceSid: CONFERENCE, friendlyName, event, callSid, label } satisfies CallProgressNotice);
  /** Who was rung, in order (the `to` of each addParticipant). */
  const rung = () => commands('addParticipant').map((command) => (command as { command: { to: string } }).command.to.replace('client:', ''));
  return { fake, ringing, recorded, legs, commands, status, conference, outcomes, rung };
}

/** Lets the fire-and-forget commands started by a notice settle. */
const settled = () => new Promise((done) => setImmediate(done));

describe('AgentRinging (CUSTOMER_CALL_ANCHOR=conference)', () => {
  it("rings every agent into the customer's conference at once, by its name, labelled and shown with the customer's number", async () => {
    const { ringing, commands, legs } = setUp();
    await ringing.start(REQUEST);
    expect(commands('addParticipant')).toEqual(['alice', 'bob'].map((identity) => ({
      name: 'addParticipant',
      command: {
        conference: { friendlyName: `sb-${CUSTOMER}` }, to: `client:${identity}`, from: '+14155550150', label: `client:${identity}`, timeoutSeconds: 20,
        startConferenceOnEnter: true, endConferenceOnExit: false, beep: false,
        callStatusCallback: { path: WEBHOOK_ROUTES.status }, conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus },
        conferenceEvents: ['start', 'end', 'join', 'leave', 'mute', 'hold'],
      },
    })));
    expect(legs()).toHaveLength(2);
    expect(ringing.phaseOf(CUSTOMER)).toBe('ringing');
    await ringing.start(REQUEST); // a retried webhook
    expect(commands('addParticipant')).toHaveLength(2);
  });

  it("shows the account's caller ID when the customer's number is withheld", async () => {
    const { ringing, commands } = setUp();
    await ringing.start({ ...REQUEST, customerNumber: 'anonymous', identities: ['bob'] });
    expect(commands('addParticipant')[0]).toMatchObject({ command: { from: loadAppConfig({}).twilio.callerId } });
  });

  it('the first agent to join wins: every other leg still ringing is cancelled (only if not answered), once', async () => {
    const { ringing, legs, commands, conference, status } = setUp();
    await ringing.start({ ...REQUEST, identities: ['alice', 'bob', 'carol'] });
    const [alice, bob, carol] = legs();
    conference('participant-join', CUSTOMER, 'customer');
    expect(commands('endCall')).toEqual([]);
    status(bob, 'in-progress');
    conference('participant-join', bob, 'client:bob');
    await settled();
    expect(commands('endCall')).toEqual([
      { name: 'endCall', callSid: alice, mode: 'cancel-if-not-answered' }, { name: 'endCall', callSid: carol, mode: 'cancel-if-not-answered' },
    ]);
    expect(ringing.phaseOf(CUSTOMER)).toBe('answered');
    // Duplicates, the cancelled legs' statuses and a second join change nothing: no second cancel, no voicemail.
    conference('participant-join', bob, 'client:bob');
    status(alice, 'canceled');
    status(carol, 'canceled');
    conference('participant-join', alice, 'client:alice');
    await settled();
    expect(commands('endCall')).toHaveLength(2);
    expect(commands('redirectCall')).toEqual([]);
  });

  it('when every leg ended unanswered, redirects the customer to voicemail once, whatever the order and repeats', async () => {
    const { ringing, legs, commands, status } = setUp();
    await ringing.start(REQUEST);
    const [alice, bob] = legs();
    status(bob, 'ringing');
    status(bob, 'busy');
    expect(commands('redirectCall')).toEqual([]);
    status(alice, 'no-answer');
    await settled();
    expect(commands('redirectCall')).toEqual([VOICEMAIL]);
    status(alice, 'failed');
    status(bob, 'no-answer');
    await settled();
    expect(commands('redirectCall')).toHaveLength(1);
    expect(ringing.phaseOf(CUSTOMER)).toBe('voicemail');
  });

  it('with onUnanswered, hands the unanswered customer back to it (once) instead of voicemail', async () => {
    const { ringing, legs, commands, status } = setUp();
    const onUnanswered = jest.fn(async () => undefined);
    await ringing.start({ ...REQUEST, onUnanswered });
    const [alice, bob] = legs();
    status(alice, 'no-answer');
    status(bob, 'busy');
    await settled();
    status(bob, 'no-answer');
    await settled();
    expect(onUnanswered).toHaveBeenCalledTimes(1);
    expect(commands('redirectCall')).toEqual([]);
  });

  it('counts a leg whose final status was stored before its SID came back from the provider', async () => {
    const { fake, ringing, recorded, commands, status, legs } = setUp();
    // The provider answers addParticipant only after the leg's "failed" callback was processed.
    const add = fake.addParticipant.bind(fake);
    jest.spyOn(fake, 'addParticipant').mockImplementation(async (command) => {
      const placed = await add(command);
      if (command.to === 'client:alice') recorded.set(placed.callSid, 'failed');
      return placed;
    });
    await ringing.start(REQUEST);
    expect(commands('redirectCall')).toEqual([]);
    status(legs()[1], 'no-answer');
    await settled();
    expect(commands('redirectCall')).toEqual([VOICEMAIL]);
  });

  it('an answer heard after an unanswered leg, or a join before the SID came back, still wins (no voicemail)', async () => {
    const { ringing, legs, commands, status, conference } = setUp();
    await ringing.start(REQUEST);
    const [alice, bob] = legs();
    status(alice, 'no-answer');
    conference('participant-join', bob, 'client:bob');
    status(bob, 'completed');
    await settled();
    expect(commands('redirectCall')).toEqual([]);
    expect(ringing.phaseOf(CUSTOMER)).toBe('answered');
  });

  it('when ringing cannot start (telephony unavailable), the customer goes to voicemail at once', async () => {
    const { fake, ringing, commands } = setUp();
    fake.failNext('telephony-unavailable');
    fake.failNext('telephony-unavailable');
    await ringing.start(REQUEST);
    expect(commands('redirectCall')).toEqual([VOICEMAIL]);
    expect(ringing.phaseOf(CUSTOMER)).toBe('voicemail');
  });

  it('one agent refused, the other unanswered: voicemail; one refused, the other answers: no voicemail', async () => {
    const first = setUp();
    first.fake.failNext('rejected');
    await first.ringing.start(REQUEST);
    first.status(first.legs()[0], 'no-answer');
    await settled();
    expect(first.commands('redirectCall')).toEqual([VOICEMAIL]);

    const second = setUp();
    second.fake.failNext('rejected');
    await second.ringing.start(REQUEST);
    second.conference('participant-join', second.legs()[0], 'client:bob');
    await settled();
    expect(second.commands('redirectCall')).toEqual([]);
  });

  it('the customer hanging up cancels the legs still ringing, and no voicemail follows', async () => {
    for (const hangUp of [
      (s: ReturnType<typeof setUp>) => s.status(CUSTOMER, 'completed'),
      (s: ReturnType<typeof setUp>) => s.conference('participant-leave', CUSTOMER, 'customer'),
      (s: ReturnType<typeof setUp>) => s.conference('conference-end', null, null),
    ]) {
      const setup = setUp();
      await setup.ringing.start(REQUEST);
      const [alice, bob] = setup.legs();
      hangUp(setup);
      await settled();
      expect(setup.commands('endCall')).toEqual([
        { name: 'endCall', callSid: alice, mode: 'cancel-if-not-answered' }, { name: 'endCall', callSid: bob, mode: 'cancel-if-not-answered' },
      ]);
      setup.status(alice, 'canceled');
      setup.status(bob, 'canceled');
      hangUp(setup);
      await settled();
      expect(setup.commands('endCall')).toHaveLength(2);
      expect(setup.commands('redirectCall')).toEqual([]);
    }
  });

  it("ignores other conferences, other calls and agents it did not ring (a transfer's target)", async () => {
    const { ringing, legs, commands, status, conference } = setUp();
    await ringing.start(REQUEST);
    conference('participant-join', `CA${'9'.repeat(32)}`, 'client:carol');
    conference('participant-join', legs()[0], 'client:alice', `sb-CA${'d'.repeat(32)}`);
    conference('conference-end', null, null, 'some-other-room');
    status(`CA${'8'.repeat(32)}`, 'completed');
    await settled();
    expect(commands('endCall')).toEqual([]);
    expect(ringing.phaseOf(CUSTOMER)).toBe('ringing');
  });

  it('reads the legs back from their call records after the ring timeout, for statuses this instance never heard', async () => {
    jest.useFakeTimers();
    try {
      const { ringing, legs, recorded, commands } = setUp();
      await ringing.start(REQUEST);
      const [alice, bob] = legs();
      recorded.set(alice, 'no-answer');
      recorded.set(bob, 'ringing');
      await jest.advanceTimersByTimeAsync(REQUEST.timeoutSeconds * 1000 + RECHECK_AFTER_TIMEOUT_MS);
      expect(commands('redirectCall')).toEqual([]);
      expect(ringing.phaseOf(CUSTOMER)).toBe('ringing');

      const second = setUp();
      await second.ringing.start(REQUEST);
      for (const leg of second.legs()) second.recorded.set(leg, 'busy');
      await jest.advanceTimersByTimeAsync(REQUEST.timeoutSeconds * 1000 + RECHECK_AFTER_TIMEOUT_MS);
      expect(second.commands('redirectCall')).toEqual([VOICEMAIL]);
      second.ringing.onModuleDestroy();
      ringing.onModuleDestroy();
    } finally {
      jest.useRealTimers();
    }
  });

  describe('ring outcomes', () => {
    it('records the answer (the join) and each unanswered leg as declined (busy), no-answer, or unreachable (failed); cancelled legs record nothing', async () => {
      const first = setUp();
      await first.ringing.start({ ...REQUEST, identities: ['alice', 'bob', 'carol', 'dave'] });
      const [alice, bob, carol, dave] = first.legs();
      first.status(alice, 'busy');
      first.status(bob, 'no-answer');
      first.status(carol, 'failed');
      first.conference('participant-join', dave, 'client:dave');
      first.status(dave, 'completed');
      await settled();
      expect(first.outcomes).toEqual(['alice declined', 'bob no-answer', 'carol unreachable', 'dave answered', 'dave answered']);

      const second = setUp();
      await second.ringing.start(REQUEST);
      const [, secondBob] = second.legs();
      second.conference('participant-join', secondBob, 'client:bob');
      second.status(second.legs()[0], 'canceled'); // alice's leg, cancelled because bob answered
      second.status(CUSTOMER, 'completed');
      await settled();
      expect(second.outcomes).toEqual(['bob answered']);
    });

    it('a leg that answered records no unanswered outcome afterwards', async () => {
      const { ringing, legs, status, outcomes } = setUp();
      await ringing.start({ ...REQUEST, identities: ['bob'] });
      status(legs()[0], 'in-progress');
      status(legs()[0], 'no-answer');
      await settled();
      expect(outcomes).toEqual(['bob answered']);
    });
  });

  describe('longest-idle: one agent at a time, in the given order', () => {
    const LONGEST_IDLE: AgentRingRequest = { ...REQUEST, identities: ['carol', 'alice', 'bob'], timeoutSeconds: 15, strategy: 'longest-idle' };

    it('rings the first agent only, each for the request timeout; the next after a no-answer or a decline; voicemail after the last', async () => {
      const { ringing, legs, status, commands, rung, outcomes } = setUp();
      await ringing.start(LONGEST_IDLE);
      expect(rung()).toEqual(['carol']);
      expect(commands('addParticipant')[0]).toMatchObject({ command: { timeoutSeconds: 15 } });
      status(legs()[0], 'no-answer');
      await settled();
      expect(rung()).toEqual(['carol', 'alice']);
      status(legs()[1], 'busy');
      await settled();
      expect(rung()).toEqual(['carol', 'alice', 'bob']);
      expect(commands('redirectCall')).toEqual([]);
      status(legs()[2], 'no-answer');
      await settled();
      expect(commands('redirectCall')).toEqual([VOICEMAIL]);
      expect(outcomes).toEqual(['carol no-answer', 'alice declined', 'bob no-answer']);
    });

    it('stops at the agent who answers: nobody after them is rung, nothing is cancelled', async () => {
      const { ringing, legs, status, conference, commands, rung } = setUp();
      await ringing.start(LONGEST_IDLE);
      status(legs()[0], 'no-answer');
      await settled();
      conference('participant-join', legs()[1], 'client:alice');
      await settled();
      expect(rung()).toEqual(['carol', 'alice']);
      expect(ringing.phaseOf(CUSTOMER)).toBe('answered');
      expect(commands('endCall')).toEqual([]);
      expect(commands('redirectCall')).toEqual([]);
    });

    it('passes over an agent who could not be rung at once, and the customer leaving stops the round', async () => {
      const { fake, ringing, legs, status, rung, commands } = setUp();
      fake.failNext('rejected');
      await ringing.start(LONGEST_IDLE);
      expect(rung()).toEqual(['carol', 'alice']);
      status(CUSTOMER, 'completed');
      await settled();
      expect(commands('endCall')).toEqual([{ name: 'endCall', callSid: legs()[0], mode: 'cancel-if-not-answered' }]);
      status(legs()[0], 'canceled');
      await settled();
      expect(rung()).toEqual(['carol', 'alice']);
      expect(commands('redirectCall')).toEqual([]);
    });

    it('reads a leg back from its call record one ring timeout after it started, then rings the next', async () => {
      jest.useFakeTimers();
      try {
        const { ringing, legs, recorded, rung } = setUp();
        await ringing.start(LONGEST_IDLE);
        recorded.set(legs()[0], 'no-answer');
        await jest.advanceTimersByTimeAsync(LONGEST_IDLE.timeoutSeconds * 1000 + RECHECK_AFTER_TIMEOUT_MS);
        expect(rung()).toEqual(['carol', 'alice']);
        ringing.onModuleDestroy();
      } finally {
        jest.useRealTimers();
      }
    });
  });

  it('a customer handed back unanswered can be offered again; one still ringing or answered cannot', async () => {
    const { ringing, legs, status, rung } = setUp();
    const onUnanswered = jest.fn(async () => undefined);
    await ringing.start({ ...REQUEST, identities: ['alice'], onUnanswered });
    await ringing.start({ ...REQUEST, identities: ['bob'], onUnanswered });
    expect(rung()).toEqual(['alice']);
    status(legs()[0], 'no-answer');
    await settled();
    expect(onUnanswered).toHaveBeenCalledTimes(1);
    await ringing.start({ ...REQUEST, identities: ['bob'], onUnanswered });
    expect(rung()).toEqual(['alice', 'bob']);
    expect(ringing.phaseOf(CUSTOMER)).toBe('ringing');
  });
});
