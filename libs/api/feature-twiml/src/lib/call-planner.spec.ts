import type {
  AgentRow, AgentsRepository, CallsRepository, CallStart, CallStartWriter, EnabledAgents, OutboundCallCaps, RoutingRepository,
} from '@switchboard/api-data-access-db';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { CallPlanner, SPOKEN } from './call-planner';

const CALL_SID = `CA${'a'.repeat(32)}`;
const agent = (identity: string): AgentRow => ({ id: identity, identity, displayName: identity.toUpperCase(), role: 'agent', passwordHash: 'h', enabled: true });

/** A planner over fakes: alice and bob are enabled agents; every call start is kept in `starts`. */
function plannerWith(agents: readonly string[] = ['alice', 'bob']) {
  const starts: CallStart[] = [];
  const lookups: string[] = [];
  const find = async (identity: string) => {
    lookups.push(identity);
    return agents.includes(identity) ? agent(identity) : undefined;
  };
  const planner = new CallPlanner(
    { findEnabled: find } as unknown as AgentsRepository,
    {} as RoutingRepository,
    { findBySid: async () => undefined } as unknown as CallsRepository,
    { find } as unknown as EnabledAgents,
    { record: async (start: CallStart) => void starts.push(start) } as unknown as CallStartWriter,
    loadAppConfig({ PUBLIC_BASE_URL: 'https://switchboard.test' }),
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
});
