import type {
  AgentRow, AgentsRepository, CallsRepository, CallStart, CallStartWriter, EnabledAgents, OutboundCallCaps, RescuesRepository, RingOutcomeEntry,
  RingOutcomesRepository, RoutingRepository, StatusEvent,
} from '@switchboard/api-data-access-db';
import type { AgentEligibility, Eligibility } from '@switchboard/api-data-access-presence';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { REJOIN_PARAM, WEBHOOK_ROUTES, type RingStrategy } from '@switchboard/shared-contracts';
import { CallPlanner, LINE_TEST_PAUSE_SECONDS, SPOKEN, SPOKEN_CAP_REFUSALS } from './call-planner';
import { SPOKEN_MISSED } from './outbound-anchor';
import { SPOKEN_REJOIN_REFUSED } from './rejoin-plan';

const CALL_SID = `CA${'a'.repeat(32)}`;
const SUPPORT = '+14155550100';
const agent = (identity: string): AgentRow => ({ id: identity, identity, displayName: identity.toUpperCase(), role: 'agent', passwordHash: 'h', enabled: true });

/**
 * A planner over fakes: alice and bob are enabled agents; every call start is kept in `starts`, every cap step in `capLog`,
 * every recorded ring outcome in `outcomes`. Every member is eligible, in the order given, unless `eligibility` says otherwise.
 */
function plannerWith(
  agents: readonly string[] = ['alice', 'bob'], env: Record<string, string> = {}, calls: Partial<CallsRepository> = {},
  { caps = {}, rescues = {}, eligibility, strategy = 'ring-all' }: {
    caps?: Partial<OutboundCallCaps>; rescues?: Partial<RescuesRepository>; eligibility?: (identities: readonly string[]) => Eligibility; strategy?: RingStrategy;
  } = {},
) {
  const starts: CallStart[] = [];
  const outcomes: Array<{ callSid: string; entries: readonly RingOutcomeEntry[] }> = [];
  const asked: string[][] = [];
  const everyoneEligible = (identities: readonly string[]): Eligibility => ({
    eligible: identities.map((identity) => ({ identity, availableSince: new Date(0) })), skipped: [],
  });
  const lookups: string[] = [];
  const capLog: string[] = [];
  const find = async (identity: string) => {
    lookups.push(identity);
    return agents.includes(identity) ? agent(identity) : undefined;
  };
  const planner = new CallPlanner(
    { findEnabled: find } as unknown as AgentsRepository,
    {
      routeFor: async (to: string) => (to === SUPPORT ? { kind: 'group', name: 'support' } : undefined), enabledAgentsOf: async () => [...agents],
      strategyOf: async () => strategy,
    } as unknown as RoutingRepository,
    { findBySid: async () => undefined, ...calls } as unknown as CallsRepository,
    { find } as unknown as EnabledAgents,
    { record: async (start: CallStart) => void starts.push(start) } as unknown as CallStartWriter,
    loadAppConfig({ PUBLIC_BASE_URL: 'https://switchboard.test', ...env }),
    {
      grant: async () => (capLog.push('grant'), { granted: true }), recordRefusal: async (_r: unknown, reason: string) => void capLog.push(`refused:${reason}`),
      end: async (sid: string) => void capLog.push(`end:${sid}`), ...caps,
    } as unknown as OutboundCallCaps,
    { admitRejoin: async () => undefined, ...rescues } as unknown as RescuesRepository,
    {
      eligible: async (identities: readonly string[]) => (asked.push([...identities]), (eligibility ?? everyoneEligible)(identities)),
    } as unknown as AgentEligibility,
    { record: async (callSid: string, entries: readonly RingOutcomeEntry[]) => (outcomes.push({ callSid, entries }), [...entries]) } as unknown as RingOutcomesRepository,
  );
  return { planner, starts, lookups, capLog, outcomes, asked };
}

describe('CallPlanner', () => {
  it('records an agent-to-agent call start, with client addresses, before answering with the dial', async () => {
    const { planner, starts } = plannerWith();
    const plan = await planner.planOutgoing({ CallSid: CALL_SID, From: 'client:alice', To: 'bob' });
    expect(plan).toMatchObject({ kind: 'dial-clients', identities: ['bob'] });
    expect(starts).toEqual([expect.objectContaining({
      callSid: CALL_SID, from: 'client:alice', to: 'client:bob', participants: ['alice', 'bob'], voicemailTarget: 'agent:bob', status: 'initiated',
    })]);
  });

  it('refuses a caller whose From is not a client address of an enabled agent, and records nothing', async () => {
    const { planner, starts } = plannerWith();
    for (const From of ['alice', 'client:../alice', 'client:mallory', undefined]) {
      expect(await planner.planOutgoing({ CallSid: CALL_SID, From, To: 'bob' })).toEqual({ kind: 'say-and-hang-up', message: SPOKEN.callerNotAllowed });
    }
    expect(starts).toEqual([]);
  });

  it("answers an enabled agent's call with no To and no Switchboard* parameter (the SDK's preflight) with the line test, marked and never a call", async () => {
    const marked: string[] = [];
    const { planner, starts } = plannerWith(['alice'], {}, { markLineTest: async (callSid: string) => { marked.push(callSid); } });
    for (const body of [{ CallSid: CALL_SID, From: 'client:alice' }, { CallSid: CALL_SID, From: 'client:alice', To: '' }]) {
      expect(await planner.planOutgoing(body)).toEqual({ kind: 'line-test', message: SPOKEN.lineTest, pauseSeconds: LINE_TEST_PAUSE_SECONDS });
    }
    expect(marked).toEqual([CALL_SID, CALL_SID]);
    expect(starts).toEqual([]);
    // Not for a stranger, nor for a call that carries one of Switchboard's own parameters.
    expect(await planner.planOutgoing({ CallSid: CALL_SID, From: 'client:mallory' })).toMatchObject({ kind: 'say-and-hang-up' });
    expect(await planner.planOutgoing({ CallSid: CALL_SID, From: 'client:alice', SwitchboardSomething: 'x' }))
      .toEqual({ kind: 'say-and-hang-up', message: SPOKEN.nothingDialled });
    expect(marked).toHaveLength(2);
  });

  it('reads only single string parameters (a repeated To is no number at all)', async () => {
    const { planner } = plannerWith();
    expect(await planner.planOutgoing({ CallSid: CALL_SID, From: 'client:alice', To: ['bob', 'bob'] }))
      .toEqual({ kind: 'say-and-hang-up', message: SPOKEN.nothingDialled });
  });

  it('connects a ringing agent to the supervisor only for a well-formed identity, without looking up anything else', async () => {
    const { planner, lookups } = plannerWith(['sam']);
    expect(await planner.planRingAgentAnswered({ supervisor: 'sam' })).toMatchObject({ kind: 'dial-clients', identities: ['sam'] });
    expect(await planner.planRingAgentAnswered({ supervisor: 'sam; drop' })).toMatchObject({ kind: 'say-and-hang-up' });
    expect(lookups).toEqual(['sam']);
  });

  // Explicit, not the default: which value is the default is data-access-config's to state and test.
  it("CUSTOMER_CALL_ANCHOR=direct keeps today's <Dial> of the group's clients, and rings nobody over REST", async () => {
    const { planner, starts } = plannerWith(['alice', 'bob'], { CUSTOMER_CALL_ANCHOR: 'direct' });
    const inbound = await planner.planInbound({ CallSid: CALL_SID, From: '+14155550150', To: SUPPORT });
    expect(inbound).toEqual({ ring: null, queue: null, plan: expect.objectContaining({ kind: 'dial-clients', identities: ['alice', 'bob'] }) });
    expect(starts).toEqual([expect.objectContaining({ callSid: CALL_SID, participants: ['alice', 'bob'], voicemailTarget: 'group:support' })]);
  });

  it('CUSTOMER_CALL_ANCHOR=conference: records the call, answers <Dial><Conference> named after it, and asks to ring the group', async () => {
    const { planner, starts } = plannerWith(['alice', 'bob'], { CUSTOMER_CALL_ANCHOR: 'conference', HOLD_MUSIC_URL: 'https://cdn.test/hold.mp3' });
    const inbound = await planner.planInbound({ CallSid: CALL_SID, From: '+14155550150', To: SUPPORT });
    expect(inbound).toEqual({
      plan: {
        kind: 'dial-conference', conferenceName: `sb-${CALL_SID}`, participantLabel: 'customer', startConferenceOnEnter: false, endConferenceOnExit: true,
        beep: false, waitUrl: 'https://cdn.test/hold.mp3', actionUrl: `https://switchboard.test${WEBHOOK_ROUTES.dialComplete}?anchor=exit`,
        statusCallbackUrl: `https://switchboard.test${WEBHOOK_ROUTES.conferenceStatus}`, statusCallbackEvents: ['start', 'end', 'join', 'leave', 'mute', 'hold'],
      },
      ring: { customerCallSid: CALL_SID, customerNumber: '+14155550150', identities: ['alice', 'bob'], timeoutSeconds: 20, strategy: 'ring-all' },
      queue: null,
    });
    expect(starts).toHaveLength(1);
    const plain = await plannerWith(['alice'], { CUSTOMER_CALL_ANCHOR: 'conference' }).planner.planInbound({ CallSid: CALL_SID, From: '+1', To: SUPPORT });
    expect(plain.plan).not.toHaveProperty('waitUrl');
  });

  it('CUSTOMER_CALL_ANCHOR=conference with nobody reachable: voicemail at once, no conference, nobody rung', async () => {
    const { planner } = plannerWith([], { CUSTOMER_CALL_ANCHOR: 'conference' });
    const inbound = await planner.planInbound({ CallSid: CALL_SID, From: '+14155550150', To: SUPPORT });
    expect(inbound).toEqual({ ring: null, queue: null, plan: expect.objectContaining({ kind: 'voicemail' }) });
  });

  describe('routing by availability (ROUTE_ONLY_AVAILABLE=true)', () => {
    const ANCHORED = { CUSTOMER_CALL_ANCHOR: 'conference', ROUTE_ONLY_AVAILABLE: 'true' };
    const call = { CallSid: CALL_SID, From: '+14155550150', To: SUPPORT };
    /** carol and alice are available (carol idle longest); bob is away, dave unreachable. */
    const floor = (identities: readonly string[]): Eligibility => ({
      eligible: [{ identity: 'carol', availableSince: new Date(1) }, { identity: 'alice', availableSince: new Date(2) }].filter((e) => identities.includes(e.identity)),
      skipped: [{ identity: 'bob', outcome: 'away' as const }, { identity: 'dave', outcome: 'unreachable' as const }].filter((e) => identities.includes(e.identity)),
    });

    it('rings only the eligible members, longest idle first, and records why each other member was not rung', async () => {
      const { planner, outcomes, asked, starts } = plannerWith(['alice', 'bob', 'carol', 'dave'], ANCHORED, {}, { eligibility: floor });
      const inbound = await planner.planInbound(call);
      expect(asked).toEqual([['alice', 'bob', 'carol', 'dave']]);
      expect(inbound.ring).toEqual({ customerCallSid: CALL_SID, customerNumber: '+14155550150', identities: ['carol', 'alice'], timeoutSeconds: 20, strategy: 'ring-all' });
      expect(inbound.queue).toBeNull();
      expect(outcomes).toEqual([{ callSid: CALL_SID, entries: [{ identity: 'bob', outcome: 'away' }, { identity: 'dave', outcome: 'unreachable' }] }]);
      // Every member still sees the call in their history (with why they were not rung).
      expect(starts).toEqual([expect.objectContaining({ participants: ['alice', 'bob', 'carol', 'dave'] })]);
    });

    it('a longest-idle group rings the eligible members in that order, each for LONGEST_IDLE_RING_SECONDS', async () => {
      const { planner } = plannerWith(['alice', 'bob', 'carol'], { ...ANCHORED, LONGEST_IDLE_RING_SECONDS: '7' }, {}, { eligibility: floor, strategy: 'longest-idle' });
      expect((await planner.planInbound(call)).ring).toMatchObject({ identities: ['carol', 'alice'], timeoutSeconds: 7, strategy: 'longest-idle' });
    });

    it('nobody eligible, anchored in a conference with a queue: the caller is queued for every member of the route', async () => {
      const { planner, outcomes } = plannerWith(['bob', 'dave'], { ...ANCHORED, QUEUE_MAX_WAIT_SECONDS: '60' }, {}, { eligibility: floor });
      const inbound = await planner.planInbound(call);
      expect(inbound.ring).toBeNull();
      expect(inbound.queue).toEqual({ customerCallSid: CALL_SID, customerNumber: '+14155550150', target: 'group:support', members: ['bob', 'dave'] });
      expect(inbound.plan).toMatchObject({ kind: 'dial-conference', conferenceName: `sb-${CALL_SID}`, waitUrl: expect.stringContaining(WEBHOOK_ROUTES.queueWait) });
      expect(outcomes).toHaveLength(1);
    });

    it('nobody eligible without a queue (QUEUE_MAX_WAIT_SECONDS=0, or a direct <Dial>): voicemail, the reasons still recorded', async () => {
      for (const env of [{ ...ANCHORED, QUEUE_MAX_WAIT_SECONDS: '0' }, { CUSTOMER_CALL_ANCHOR: 'direct', ROUTE_ONLY_AVAILABLE: 'true' }]) {
        const { planner, outcomes } = plannerWith(['bob', 'dave'], env, {}, { eligibility: floor });
        expect(await planner.planInbound(call)).toEqual({ ring: null, queue: null, plan: expect.objectContaining({ kind: 'voicemail' }) });
        expect(outcomes).toEqual([{ callSid: CALL_SID, entries: [{ identity: 'bob', outcome: 'away' }, { identity: 'dave', outcome: 'unreachable' }] }]);
      }
    });

    it('ROUTE_ONLY_AVAILABLE=false rings every enabled member without asking who is available', async () => {
      const { planner, asked, outcomes } = plannerWith(['alice', 'bob'], { ...ANCHORED, ROUTE_ONLY_AVAILABLE: 'false' }, {}, { eligibility: floor });
      expect((await planner.planInbound(call)).ring).toMatchObject({ identities: ['alice', 'bob'] });
      expect(asked).toEqual([]);
      expect(outcomes).toEqual([]);
    });

    it('a direct <Dial> rings the eligible members together', async () => {
      const { planner } = plannerWith(['alice', 'bob', 'carol'], { CUSTOMER_CALL_ANCHOR: 'direct', ROUTE_ONLY_AVAILABLE: 'true' }, {}, { eligibility: floor });
      expect((await planner.planInbound(call)).plan).toMatchObject({ kind: 'dial-clients', identities: ['carol', 'alice'] });
    });
  });

  it('the conference <Dial> action: leaving hangs up without a lookup; the unanswered redirect reaches the target\'s voicemail', async () => {
    const lookups: string[] = [];
    const findBySid = async (sid: string) => { lookups.push(sid); return { direction: 'inbound', from: '+14155550150', to: SUPPORT, voicemailTarget: 'group:support' }; };
    const { planner } = plannerWith(['alice'], {}, { findBySid } as unknown as Partial<CallsRepository>);
    expect(await planner.planDialComplete({ CallSid: CALL_SID }, { anchor: 'exit' })).toEqual({ kind: 'hang-up' });
    expect(lookups).toEqual([]);
    expect(await planner.planDialComplete({ CallSid: CALL_SID }, { anchor: 'unanswered' })).toMatchObject({ kind: 'voicemail', greeting: SPOKEN.voicemailGreeting });
    expect(lookups).toEqual([CALL_SID]);
  });

  describe('an agent calls a phone number with CUSTOMER_CALL_ANCHOR=conference', () => {
    const ANCHORED = { CUSTOMER_CALL_ANCHOR: 'conference' };
    const NUMBER = '+14155550111';

    it("joins the agent's leg to the conference named after their call, records one call to the number, and asks to dial it", async () => {
      const { planner, starts, capLog } = plannerWith(['alice'], ANCHORED);
      const call = await planner.planAgentCall({ CallSid: CALL_SID, From: 'client:alice', To: NUMBER });
      expect(call).toEqual({
        plan: {
          kind: 'dial-conference', conferenceName: `sb-${CALL_SID}`, participantLabel: 'client:alice', startConferenceOnEnter: true, endConferenceOnExit: false,
          beep: false, timeLimitSeconds: expect.any(Number), actionUrl: `https://switchboard.test${WEBHOOK_ROUTES.dialComplete}?anchor=outbound-exit`,
          statusCallbackUrl: `https://switchboard.test${WEBHOOK_ROUTES.conferenceStatus}`, statusCallbackEvents: ['start', 'end', 'join', 'leave', 'mute', 'hold'],
        },
        dial: { agentCallSid: CALL_SID, identity: 'alice', number: NUMBER, timeoutSeconds: 20 },
      });
      expect(capLog).toEqual(['grant']);
      expect(starts).toEqual([expect.objectContaining({ callSid: CALL_SID, from: 'client:alice', to: NUMBER, participants: ['alice'], voicemailTarget: null })]);
    });

    it('refuses a number the policy forbids, or a call over a cap, before anything is dialled or recorded', async () => {
      const refused = plannerWith(['alice'], { ...ANCHORED, NUMBER_POLICY_ALLOWED_COUNTRIES: 'US' });
      const call = await refused.planner.planAgentCall({ CallSid: CALL_SID, From: 'client:alice', To: '+442071838750' });
      expect(call).toEqual({ plan: expect.objectContaining({ kind: 'say-and-hang-up' }), dial: null });
      expect(refused.capLog).toEqual([expect.stringMatching(/^refused:/)]);
      expect(refused.starts).toEqual([]);

      const capped = plannerWith(['alice'], ANCHORED, {}, { caps: { grant: async () => ({ granted: false, cap: 'hourly-limit' }) } as Partial<OutboundCallCaps> });
      expect(await capped.planner.planAgentCall({ CallSid: CALL_SID, From: 'client:alice', To: NUMBER }))
        .toEqual({ plan: { kind: 'say-and-hang-up', message: SPOKEN_CAP_REFUSALS['hourly-limit'] }, dial: null });
      expect(capped.starts).toEqual([]);
    });

    it('calls between staff stay direct: an agent calling an agent is a <Dial><Client>, with nothing to dial over REST', async () => {
      const { planner } = plannerWith(['alice', 'bob'], ANCHORED);
      expect(await planner.planAgentCall({ CallSid: CALL_SID, From: 'client:alice', To: 'bob' }))
        .toEqual({ plan: expect.objectContaining({ kind: 'dial-clients', identities: ['bob'] }), dial: null });
      expect(await planner.planRingAgentAnswered({ supervisor: 'bob' })).toMatchObject({ kind: 'dial-clients' });
    });

    it("the agent's <Dial> action: leaving ends the cap grant and hangs up; a missed number is recorded on the agent's call and spoken", async () => {
      const events: StatusEvent[] = [];
      const calls = { applyStatusEvent: async (event: StatusEvent) => (events.push(event), 'stored') } as unknown as Partial<CallsRepository>;
      const { planner, capLog } = plannerWith(['alice'], ANCHORED, calls);
      expect(await planner.planDialComplete({ CallSid: CALL_SID }, { anchor: 'outbound-exit' })).toEqual({ kind: 'hang-up' });
      expect(events).toEqual([]);
      for (const outcome of ['no-answer', 'busy', 'failed'] as const) {
        expect(await planner.planDialComplete({ CallSid: CALL_SID }, { anchor: 'outbound-missed', outcome }))
          .toEqual({ kind: 'say-and-hang-up', message: SPOKEN_MISSED[outcome] });
      }
      expect(events.map((event) => [event.callSid, event.callStatus])).toEqual([[CALL_SID, 'no-answer'], [CALL_SID, 'busy'], [CALL_SID, 'failed']]);
      // An outcome that is not a missed one records nothing.
      expect(await planner.planDialComplete({ CallSid: CALL_SID }, { anchor: 'outbound-missed', outcome: 'completed' })).toEqual({ kind: 'hang-up' });
      expect(events).toHaveLength(3);
      expect(capLog).toEqual(Array(5).fill(`end:${CALL_SID}`));
    });
  });

  describe('a rejoin call (REJOIN_PARAM)', () => {
    const ADMITTED = { conferenceSid: `CF${'c'.repeat(32)}`, conferenceName: `sb-CA${'d'.repeat(32)}`, customerCallSid: `CA${'d'.repeat(32)}` };
    const RESCUE = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    const asked: Array<[string, string]> = [];
    const rescues = { admitRejoin: async (identity: string, rescueId: string) => (asked.push([identity, rescueId]), identity === 'bob' && rescueId === RESCUE ? ADMITTED : undefined) };
    beforeEach(() => { asked.length = 0; });

    it('admitted: the agent joins the rescued conference with their label, and no call of its own is recorded or capped', async () => {
      const { planner, starts, capLog } = plannerWith(['alice', 'bob'], {}, {}, { rescues });
      const call = await planner.planAgentCall({ CallSid: CALL_SID, From: 'client:bob', To: '+14155550111', [REJOIN_PARAM]: RESCUE });
      expect(call).toEqual({
        plan: {
          kind: 'dial-conference', conferenceName: ADMITTED.conferenceName, participantLabel: 'client:bob', startConferenceOnEnter: true, endConferenceOnExit: false,
          beep: false, actionUrl: `https://switchboard.test${WEBHOOK_ROUTES.dialComplete}?anchor=exit`,
          statusCallbackUrl: `https://switchboard.test${WEBHOOK_ROUTES.conferenceStatus}`, statusCallbackEvents: ['start', 'end', 'join', 'leave', 'mute', 'hold'],
        },
        dial: null,
      });
      expect(asked).toEqual([['bob', RESCUE]]);
      expect(starts).toEqual([]);
      expect(capLog).toEqual([]);
    });

    it("refused for another agent's rescue, an unknown or expired one, or an empty parameter: a spoken reason, nothing dialled or recorded", async () => {
      const { planner, starts } = plannerWith(['alice', 'bob'], {}, {}, { rescues });
      const refused = { plan: { kind: 'say-and-hang-up', message: SPOKEN_REJOIN_REFUSED }, dial: null };
      expect(await planner.planAgentCall({ CallSid: CALL_SID, From: 'client:alice', To: 'bob', [REJOIN_PARAM]: RESCUE })).toEqual(refused);
      expect(await planner.planAgentCall({ CallSid: CALL_SID, From: 'client:bob', To: 'alice', [REJOIN_PARAM]: 'a0000000-0000-4000-8000-000000000000' })).toEqual(refused);
      expect(await planner.planAgentCall({ CallSid: CALL_SID, From: 'client:bob', To: 'alice', [REJOIN_PARAM]: '' })).toEqual(refused);
      expect(asked).toEqual([['alice', RESCUE], ['bob', 'a0000000-0000-4000-8000-000000000000']]);
      expect(starts).toEqual([]);
      // Only an enabled agent may ask at all.
      expect(await planner.planAgentCall({ CallSid: CALL_SID, From: 'client:mallory', [REJOIN_PARAM]: RESCUE }))
        .toEqual({ plan: { kind: 'say-and-hang-up', message: SPOKEN.callerNotAllowed }, dial: null });
    });
  });
});
