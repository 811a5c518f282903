import { rowsOf, type Database } from '@switchboard/api-data-access-db';
import type { ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { sql } from 'drizzle-orm';
import { dialCustomerAndAgentIntoConference } from './customer-and-agent-in-conference';
import { eventually as eventuallyWithin } from './eventually';

/**
 * What the transfer e2e specs (cold-transfer, consult-transfer) share: reading the API's conference record
 * and starting from a customer anchored with bob's leg, both recorded from the sandbox's callbacks.
 */

/** Polls until `check` holds: the API learns of the sandbox's callbacks asynchronously, and tells nobody. */
export const eventually = <T>(read: () => Promise<T>, check: (value: T) => boolean, what: string) => eventuallyWithin(read, check, what, { timeoutMs: 30_000 });

/** The API's record: who is in the conference now. */
export async function recordedParticipants(database: Database, conferenceSid: string): Promise<string[]> {
  const rows = rowsOf(await database.db.execute(sql`SELECT call_sid FROM conference_participants
    WHERE conference_sid = ${conferenceSid} AND left_at IS NULL ORDER BY call_sid`)) as Array<{ call_sid: string }>;
  return rows.map((row) => row.call_sid);
}

/** A customer (scripted, echoing) anchored in a new conference, and bob's leg in it, both recorded by the API. */
export async function anchoredCallWithBob(commands: ConferenceCommands, callerId: string, database: Database):
  Promise<{ conferenceSid: string; customer: string; bobLeg: string }> {
  const { conferenceSid, customer, agentLeg: bobLeg } = await dialCustomerAndAgentIntoConference(commands, callerId, 'client:bob');
  await eventually(() => recordedParticipants(database, conferenceSid), (rows) => rows.length === 2, 'both participants recorded');
  return { conferenceSid, customer, bobLeg };
}
