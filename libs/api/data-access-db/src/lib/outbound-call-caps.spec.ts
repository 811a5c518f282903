import { sql } from 'drizzle-orm';
import { Database, rowsOf } from './database';
import { OutboundCallCaps, type OutboundLimits } from './repositories';
import { runStatement } from './repositories/raw-statement';
import { SPEC_ENGINES, specDatabase } from './testing/spec-database';

// OutboundCallCaps.end runs its UPDATE straight on the driver (raw-statement.ts): these pin what it must still do.
describe.each(SPEC_ENGINES)('OutboundCallCaps.end (%s)', (engine) => {
  let database: Database;
  let caps: OutboundCallCaps;
  let n = 0;
  const sid = () => `CA${(++n).toString(16).padStart(32, '0')}`;
  const limits: OutboundLimits = { activeCallsPerAgent: 1, callsPerAgentPerHour: 100, callsPerDay: 1000, activeAtMostSeconds: 3600 };
  const endedAt = async (callSid: string) => {
    const rows = rowsOf(await database.db.execute(sql`SELECT ended_at::text AS ended_at FROM outbound_call_grants WHERE call_sid = ${callSid}`));
    return (rows[0] as { ended_at: string | null } | undefined)?.ended_at;
  };

  specDatabase(engine, (opened) => {
    database = opened;
    caps = new OutboundCallCaps(database);
  });

  it('ends the grant, so the agent may dial again, and a second end keeps the first end time', async () => {
    const agent = `agent_${n}`;
    const callSid = sid();
    const at = new Date();
    expect(await caps.grant({ callSid, agentIdentity: agent, to: '+14155550100', at }, limits)).toEqual({ granted: true });
    expect(await caps.capReachedNow(agent, limits, at)).toBe('active-call');

    const first = new Date(at.getTime() + 1000);
    await caps.end(callSid, first);
    expect(await caps.capReachedNow(agent, limits, first)).toBeNull();
    const stored = await endedAt(callSid);
    expect(stored).not.toBeNull();
    expect(new Date(stored as string).getTime()).toBe(first.getTime());

    await caps.end(callSid, new Date(at.getTime() + 60_000));
    expect(await endedAt(callSid)).toBe(stored);
  });

  it('ends only the named call', async () => {
    const agent = `agent_other_${n}`;
    const [one, other] = [sid(), sid()];
    const at = new Date();
    await caps.grant({ callSid: one, agentIdentity: agent, to: '+14155550100', at }, { ...limits, activeCallsPerAgent: 2 });
    await caps.grant({ callSid: other, agentIdentity: agent, to: '+14155550100', at }, { ...limits, activeCallsPerAgent: 2 });
    await caps.end(one, at);
    expect(await endedAt(one)).not.toBeNull();
    expect(await endedAt(other)).toBeNull();
  });

  it('runStatement refuses a drizzle instance without its driver rather than skipping the write', () => {
    const bare = { db: {} } as unknown as Database;
    expect(() => runStatement(bare, 'SELECT 1', [])).toThrow(/no \$client/);
  });
});
