/**
 * Shared set-up for this lib's service specs (not exported from index.ts): the engines they run on, the
 * database's life, the customer-and-bob conference they start from, and how a call-control refusal is read.
 */
import { Database } from '@switchboard/api-data-access-db';
import type { FakeConferenceCommands } from '@switchboard/api-data-access-telephony/testing';
import { sql } from 'drizzle-orm';
import { CallControlException } from '../call-control-errors';

export type Engine = 'pglite' | 'postgres';

/** The embedded engine always; a real Postgres too when TEST_DATABASE_URL is set (as the API's specs do). */
export const ENGINES: readonly Engine[] = process.env['TEST_DATABASE_URL'] ? ['pglite', 'postgres'] : ['pglite'];

/** A migrated database: in memory, or in a schema of its own on the real Postgres. */
export async function openTestDatabase(engine: Engine, schema: string): Promise<Database> {
  const database = engine === 'postgres'
    ? await Database.open({ url: process.env['TEST_DATABASE_URL'] as string, dataDir: 'memory://', searchPath: schema })
    : await Database.open({ url: null, dataDir: 'memory://' });
  await database.migrate();
  return database;
}

export async function closeTestDatabase(engine: Engine, schema: string, database: Database | undefined): Promise<void> {
  if (engine === 'postgres') await database?.dropSchema(schema);
  await database?.close();
}

/** A participant's join as the conference callbacks record it. */
export const insertParticipantRow = (database: Database, conferenceSid: string, callSid: string, label: string, identity: string | null) =>
  database.db.execute(sql`
    INSERT INTO conference_participants (conference_sid, call_sid, label, agent_identity, joined_at, hold, last_sequence)
    VALUES (${conferenceSid}, ${callSid}, ${label}, ${identity}, now(), false, 1)`);

/** A customer anchored in a conference, bob's softphone leg in it (both answered), as the callbacks recorded them. */
export async function anchoredCustomerWithBob(database: Database, fake: FakeConferenceCommands):
  Promise<{ customer: string; conferenceSid: string; bobLeg: string }> {
  const dial = { from: '+14155550199', timeoutSeconds: 20, startConferenceOnEnter: true, endConferenceOnExit: false, beep: false as const,
    callStatusCallback: { path: '/s' }, conferenceStatusCallback: { path: '/c' }, conferenceEvents: [] };
  const { callSid: customer, conferenceSid } = await fake.addParticipant({ ...dial, conference: { friendlyName: 'room' }, to: '+14155550123', label: 'customer' });
  const { callSid: bobLeg } = await fake.addParticipant({ ...dial, conference: { sid: conferenceSid }, to: 'client:bob', label: 'client:bob' });
  fake.answer(customer);
  fake.answer(bobLeg);
  await database.db.execute(sql`INSERT INTO conferences (conference_sid, friendly_name, anchor_call_sid, status) VALUES (${conferenceSid}, 'room', ${customer}, 'in-progress')`);
  await insertParticipantRow(database, conferenceSid, customer, 'customer', null);
  await insertParticipantRow(database, conferenceSid, bobLeg, 'client:bob', 'bob');
  return { customer, conferenceSid, bobLeg };
}

/** The refusal a call-control promise ended in (status and code; the reason too when asked); anything else fails the test. */
export async function callControlRefusal(promise: Promise<unknown>, options: { withReason?: boolean } = {}) {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (error instanceof CallControlException) {
    return options.withReason ? { status: error.getStatus(), code: error.code, reason: error.reason } : { status: error.getStatus(), code: error.code };
  }
  throw new Error(`expected a call-control refusal, got ${String(error)}`);
}
