import { loadAppConfig } from '@switchboard/api-data-access-config';
import type { CallsRepository, OutboundCallCaps } from '@switchboard/api-data-access-db';
import type { LiveEventPublisher } from '@switchboard/api-data-access-live-events';
import { CallProgressEvents } from '@switchboard/api-data-access-telephony';
import { FakeConferenceCommands } from '@switchboard/api-data-access-telephony/testing';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import type { OutboundDialRequest } from './outbound-anchor';
import { OutboundDialing } from './outbound-dialing';

const AGENT_CALL = `CA${'a'.repeat(32)}`;
const NUMBER = '+14155550111';
const REQUEST: OutboundDialRequest = { agentCallSid: AGENT_CALL, identity: 'bob', number: NUMBER, timeoutSeconds: 20 };
const config = loadAppConfig({ PUBLIC_BASE_URL: 'https://switchboard.test' });
const missed = (outcome: string) => ({ name: 'redirectCall', callSid: AGENT_CALL, twiml: { path: WEBHOOK_ROUTES.dialComplete, query: { anchor: 'outbound-missed', outcome } } });

/** One `call.far-end` the service published, with how many redirects and dials had been sent by then. */
interface Published { readonly type: string; readonly data: unknown; readonly audience: unknown; readonly redirectsBefore: number; readonly placedBefore: number }

/**
 * The service over the fake provider (the agent's leg in progress), a real announcement channel, records in
 * `recorded`, live events in `published` (`failPublish` makes the publisher throw).
 */
function setUp(options: { failPublish?: boolean } = {}) {
  const fake = new FakeConferenceCommands();
  fake.calls.set(AGENT_CALL, 'in-progress');
  const progress = new CallProgressEvents();
  const recorded = new Map<string, string>();
  const calls = { findBySid: async (sid: string) => (recorded.has(sid) ? { status: recorded.get(sid) } : undefined) } as unknown as CallsRepository;
  const capsEnded: string[] = [];
  const caps = { end: async (sid: string) => void capsEnded.push(sid) } as unknown as OutboundCallCaps;
  const published: Published[] = [];
  const publisher = {
    publish: async (type: string, data: unknown, audience: unknown) => {
      if (options.failPublish) throw new Error('bus down');
      const sent = (name: string) => fake.received.filter((command) => command.name === name).length;
      published.push({ type, data, audience, redirectsBefore: sent('redirectCall'), placedBefore: sent('addParticipant') });
    },
  } as unknown as LiveEventPublisher;
  const dialing = new OutboundDialing(fake, progress, calls, caps, config, publisher);
  dialing.onModuleInit();
  const customerLeg = () => [...fake.calls.keys()].find((sid) => sid !== AGENT_CALL) as string;
  const commands = (name: string) => fake.received.filter((command) => command.name === name);
  const status = (callSid: string, callStatus: string) => progress.publish({ kind: 'call-status', callSid, callStatus });
  const farEnd = () => published.map((event) => (event.data as { state: string }).state);
  return { fake, dialing, recorded, customerLeg, commands, status, capsEnded, published, farEnd };
}

/** Lets the fire-and-forget commands started by a notice settle. */
const settled = () => new Promise((done) => setImmediate(done));

describe('OutboundDialing (an agent calls a number, CUSTOMER_CALL_ANCHOR=conference)', () => {
  it("dials the number into the agent's conference as the customer, from the caller ID, with early media; a retried webhook dials nothing more", async () => {
    const { dialing, commands } = setUp();
    await dialing.start(REQUEST);
    expect(commands('addParticipant')).toEqual([{
      name: 'addParticipant',
      command: {
        conference: { friendlyName: `sb-${AGENT_CALL}` }, to: NUMBER, from: config.twilio.callerId, label: 'customer', timeoutSeconds: 20,
        startConferenceOnEnter: true, endConferenceOnExit: true, beep: false, earlyMedia: true,
        timeLimitSeconds: config.outboundLimits.callTimeLimitSeconds,
        callStatusCallback: { path: WEBHOOK_ROUTES.status }, conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus },
        conferenceEvents: ['start', 'end', 'join', 'leave', 'mute', 'hold'],
      },
    }]);
    expect(dialing.phaseOf(AGENT_CALL)).toBe('dialling');
    await dialing.start(REQUEST);
    expect(commands('addParticipant')).toHaveLength(1);
  });

  it.each(['no-answer', 'busy', 'failed'])('the number ends %s: the agent is redirected to hear it, once, and nothing is cancelled', async (outcome) => {
    const { dialing, customerLeg, commands, status } = setUp();
    await dialing.start(REQUEST);
    status(customerLeg(), 'ringing');
    status(customerLeg(), outcome);
    status(customerLeg(), outcome);
    await settled();
    expect(commands('redirectCall')).toEqual([missed(outcome)]);
    expect(commands('endCall')).toEqual([]);
    expect(dialing.phaseOf(AGENT_CALL)).toBe('missed');
  });

  it('the number answers: a later completion is not a miss, and the agent is never redirected', async () => {
    const { dialing, customerLeg, commands, status } = setUp();
    await dialing.start(REQUEST);
    status(customerLeg(), 'in-progress');
    status(customerLeg(), 'completed');
    await settled();
    expect(dialing.phaseOf(AGENT_CALL)).toBe('answered');
    expect(commands('redirectCall')).toEqual([]);
  });

  it('a number the provider refuses to dial is a failed call for the agent', async () => {
    const { fake, dialing, commands } = setUp();
    fake.failNext('rejected');
    await dialing.start(REQUEST);
    expect(commands('redirectCall')).toEqual([missed('failed')]);
  });

  it('the agent hangs up while it rings: the number is cancelled (only if not answered), the cap grant ends, nobody is redirected', async () => {
    const { dialing, customerLeg, commands, status, capsEnded } = setUp();
    await dialing.start(REQUEST);
    const leg = customerLeg();
    status(AGENT_CALL, 'completed');
    await settled();
    expect(commands('endCall')).toEqual([{ name: 'endCall', callSid: leg, mode: 'cancel-if-not-answered' }]);
    expect(capsEnded).toEqual([AGENT_CALL]);
    status(leg, 'canceled');
    await settled();
    expect(commands('redirectCall')).toEqual([]);
  });

  it('callbacks processed before the leg was known are read back from its record', async () => {
    const { fake, dialing, recorded, commands } = setUp();
    // The fake numbers conferences and calls with one counter: the conference is 1, the number's leg 2,
    // whose record already says busy.
    const first = `CA${'0'.repeat(31)}2`;
    recorded.set(first, 'busy');
    await dialing.start(REQUEST);
    expect([...fake.calls.keys()]).toContain(first);
    expect(commands('redirectCall')).toEqual([missed('busy')]);
  });

  describe("call.far-end: the agent's softphone learns where the number is", () => {
    it('ringing as the dial starts, then answered, to the calling agent only, about their own leg; nothing after the answer', async () => {
      const { dialing, customerLeg, status, published, farEnd } = setUp();
      await dialing.start(REQUEST);
      expect(published).toEqual([{ type: 'call.far-end', data: { callSid: AGENT_CALL, state: 'ringing' }, audience: { agents: ['bob'] }, redirectsBefore: 0, placedBefore: 0 }]);
      status(customerLeg(), 'ringing');
      status(customerLeg(), 'in-progress');
      status(customerLeg(), 'completed');
      await settled();
      expect(farEnd()).toEqual(['ringing', 'answered']);
    });

    it.each(['no-answer', 'busy', 'failed'])('the number ends %s: the outcome is published once, before the redirect', async (outcome) => {
      const { dialing, customerLeg, status, published, farEnd, commands } = setUp();
      await dialing.start(REQUEST);
      status(customerLeg(), outcome);
      status(customerLeg(), outcome);
      await settled();
      expect(farEnd()).toEqual(['ringing', outcome]);
      expect(published[1].redirectsBefore).toBe(0);
      expect(commands('redirectCall')).toEqual([missed(outcome)]);
    });

    it('ringing is told before the number is placed; a number the provider refuses to dial is then failed', async () => {
      const { fake, dialing, farEnd, commands, published } = setUp();
      fake.failNext('rejected');
      await dialing.start(REQUEST);
      expect(farEnd()).toEqual(['ringing', 'failed']);
      expect(published[0].placedBefore).toBe(0);
      expect(commands('addParticipant')).toHaveLength(1);
    });

    it('an answer read back from the record is told after the ringing', async () => {
      const { dialing, recorded, farEnd } = setUp();
      recorded.set(`CA${'0'.repeat(31)}2`, 'in-progress');
      await dialing.start(REQUEST);
      expect(farEnd()).toEqual(['ringing', 'answered']);
    });

    it('the agent hangs up while it rings: nothing more is published (the softphone has the hang-up)', async () => {
      const { dialing, customerLeg, status, farEnd } = setUp();
      await dialing.start(REQUEST);
      const leg = customerLeg();
      status(AGENT_CALL, 'completed');
      status(leg, 'canceled');
      await settled();
      expect(farEnd()).toEqual(['ringing']);
    });

    it('a publish that fails changes nothing else: the miss still redirects the agent', async () => {
      const { dialing, customerLeg, status, commands } = setUp({ failPublish: true });
      await dialing.start(REQUEST);
      status(customerLeg(), 'busy');
      await settled();
      expect(commands('redirectCall')).toEqual([missed('busy')]);
    });
  });
});
