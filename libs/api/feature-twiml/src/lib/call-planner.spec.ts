import type {
  AgentRow, AgentsRepository, CallsRepository, CallStart, CallStartWriter, EnabledAgents, OutboundCallCaps, RoutingRepository,
} from '@switchboard/api-data-access-db';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { CallPlanner, SPOKEN } from './call-planner';

const CALL_SID = `CA${'a'.repeat(32)}`;
const SUPPORT = '+14155550100';
const agent = (identity: string): AgentRow => ({ id: identity, identity, displayName: identity.toUpperCase(), role: 'agent', passwordHash: 'h', enabled: true });

/** A planner over fakes: alice and bob are enabled agents; every call start is kept in `starts`. */
function plannerWith(agents: readonly string[] = ['alice', 'bob'], env: Record<string, string> = {}, calls: Partial<CallsRepository> = {}) {
  const starts: CallStart[] = [];
  const lookups: string[] = [];
  const find = async (identity: string) => {
    lookups.push(identity);
    return agents.includes(identity) ? agent(identity) : undefined;
  };
  const planner = new CallPlanner(
    { findEnabled: find } as unknown as AgentsRepository,
    { routeFor: async (to: string) => (to === SUPPORT ? { kind: 'group', name: 'support' } : undefined), enabledAgentsOf: async () => [...agents] } as unknown as RoutingRepository,
    { findBySid: async () => undefined, ...calls } as unknown as CallsRepository,
    { find } as unknown as EnabledAgents,
    { record: async (start: CallStart) => void starts.push(start) } as unknown as CallStartWriter,
    loadAppConfig({ PUBLIC_BASE_URL: 'https://switchboard.test', ...env }),
    { grant: async () => ({ granted: true }), recordRefusal: async () => undefined, end: async () => undefined } as unknown as OutboundCallCaps,
  );
  return { planner, starts, lookups };
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

  it("CUSTOMER_CALL_ANCHOR=direct (the default) keeps today's <Dial> of the group's clients, and rings nobody over REST", async () => {
    const { planner, starts } = plannerWith();
    const inbound = await planner.planInbound({ CallSid: CALL_SID, From: '+14155550150', To: SUPPORT });
    expect(inbound).toEqual({ ring: null, plan: expect.objectContaining({ kind: 'dial-clients', identities: ['alice', 'bob'] }) });
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
      ring: { customerCallSid: CALL_SID, customerNumber: '+14155550150', identities: ['alice', 'bob'], timeoutSeconds: 20 },
    });
    expect(starts).toHaveLength(1);
    const plain = await plannerWith(['alice'], { CUSTOMER_CALL_ANCHOR: 'conference' }).planner.planInbound({ CallSid: CALL_SID, From: '+1', To: SUPPORT });
    expect(plain.plan).not.toHaveProperty('waitUrl');
  });

  it('CUSTOMER_CALL_ANCHOR=conference with nobody reachable: voicemail at once, no conference, nobody rung', async () => {
    const { planner } = plannerWith([], { CUSTOMER_CALL_ANCHOR: 'conference' });
    const inbound = await planner.planInbound({ CallSid: CALL_SID, From: '+14155550150', To: SUPPORT });
    expect(inbound).toEqual({ ring: null, plan: expect.objectContaining({ kind: 'voicemail' }) });
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
});
