import { HttpStatus } from '@nestjs/common';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { AgentsRepository, CallsRepository, ConferencesRepository, Database } from '@switchboard/api-data-access-db';
import { FakeConferenceCommands } from '@switchboard/api-data-access-telephony/testing';
import { sql } from 'drizzle-orm';
import { CallAnchors } from './call-anchors';
import { CallControlException, CallControlUnavailable } from './call-control-errors';
import { CallControl } from './call-control.service';

/** CallControl on the real repositories (PGlite) with FakeConferenceCommands for the telephony side. */
describe('CallControl', () => {
  let database: Database;
  let fake: FakeConferenceCommands;
  let conferenceSid: string;
  let customer: string;
  let bobLeg: string;
  const at = (second: number) => new Date(Date.UTC(2026, 11, 6, 10, 0, second));

  const control = (env: Record<string, string> = {}, anchors = new CallAnchors(database)) => new CallControl(
    anchors, new ConferencesRepository(database), new CallsRepository(database), new AgentsRepository(database), fake, loadAppConfig(env),
  );
  const participantRow = (callSid: string, label: string, identity: string | null, joined: Date, extra: { left?: Date; hold?: boolean } = {}) => sql`
    INSERT INTO conference_participants (conference_sid, call_sid, label, agent_identity, joined_at, left_at, hold, last_sequence)
    VALUES (${conferenceSid}, ${callSid}, ${label}, ${identity}, ${joined.toISOString()}, ${extra.left?.toISOString() ?? null}, ${extra.hold ?? false}, 1)`;
  const holdEvent = (sequence: number, event: 'participant-hold' | 'participant-unhold', when: Date) => database.db.execute(sql`
    INSERT INTO conference_events (conference_sid, sequence_number, event, call_sid, event_at, payload)
    VALUES (${conferenceSid}, ${sequence}, ${event}, ${customer}, ${when.toISOString()}, '{}'::jsonb)`);
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (caught: unknown) => caught);
    if (error instanceof CallControlException) return { status: error.getStatus(), code: error.code };
    if (error instanceof CallControlUnavailable) return { status: error.getStatus(), retryAfter: error.retryAfterSeconds };
    throw new Error(`expected a call-control refusal, got ${String(error)}`);
  };

  beforeAll(async () => {
    database = await Database.open({ url: null, dataDir: 'memory://' });
    await database.migrate();
    const agents = new AgentsRepository(database);
    await agents.insert({ identity: 'bob', displayName: 'Bob Builder', role: 'agent', passwordHash: 'x', enabled: true });
    await agents.insert({ identity: 'sue', displayName: 'Sue Pervisor', role: 'supervisor', passwordHash: 'x', enabled: true });
  }, 120_000);
  afterAll(() => database?.close());

  // A customer anchored in a conference (answered at once), bob's softphone leg in it; the record as the callbacks built it.
  beforeEach(async () => {
    await database.db.execute(sql`TRUNCATE conferences, conference_participants, conference_events, calls, call_participants`);
    fake = new FakeConferenceCommands({ answerImmediately: true });
    const dial = { from: '+14155550199', timeoutSeconds: 20, startConferenceOnEnter: true, endConferenceOnExit: false, beep: false as const,
      callStatusCallback: { path: '/s' }, conferenceStatusCallback: { path: '/c' }, conferenceEvents: [] };
    ({ callSid: customer, conferenceSid } = await fake.addParticipant({ ...dial, conference: { friendlyName: 'room' }, to: '+14155550123', label: 'customer' }));
    ({ callSid: bobLeg } = await fake.addParticipant({ ...dial, conference: { sid: conferenceSid }, to: 'client:bob', label: 'client:bob' }));
    await database.db.execute(sql`INSERT INTO conferences (conference_sid, friendly_name, anchor_call_sid, status) VALUES (${conferenceSid}, 'room', ${customer}, 'in-progress')`);
    await database.db.execute(participantRow(customer, 'customer', null, at(1)));
    await database.db.execute(participantRow(bobLeg, 'client:bob', 'bob', at(2)));
    await database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, started_at)
      VALUES (${customer}, 'inbound', '+14155550123', '+14155550100', 'in-progress', 3, now())`);
    fake.received.length = 0;
  });

  it('lists the participants for an agent in the call: the customer masked, colleagues by directory name and role', async () => {
    const sueLeg = `CA${'5'.repeat(32)}`;
    await database.db.execute(participantRow(sueLeg, 'client:sue', 'sue', at(3)));
    expect(await control().participants('bob', bobLeg)).toEqual({
      callSid: bobLeg, controllable: true,
      participants: [
        { participantId: customer, displayName: '+1 ••• ••• 0123', identity: null, maskedNumber: '+1 ••• ••• 0123', role: 'customer', held: false, muted: false, joinedAt: at(1).toISOString() },
        { participantId: bobLeg, displayName: 'Bob Builder', identity: 'bob', maskedNumber: null, role: 'agent', held: false, muted: false, joinedAt: at(2).toISOString() },
        { participantId: sueLeg, displayName: 'Sue Pervisor', identity: 'sue', maskedNumber: null, role: 'supervisor', held: false, muted: false, joinedAt: at(3).toISOString() },
      ],
    });
    // Addressed by the customer's call (the anchor) it answers the same list.
    expect((await control().participants('bob', customer)).participants.map((p) => p.participantId)).toEqual([customer, bobLeg, sueLeg]);
  });

  it("answers bob's leg not controllable while its join is not stored yet (as a direct call, no contract change), controllable once it is", async () => {
    // The leg AgentRinging dialled is on record (to client:bob) before its participant-join callback is stored.
    await database.db.execute(sql`DELETE FROM conference_participants WHERE call_sid = ${bobLeg}`);
    await database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, started_at)
      VALUES (${bobLeg}, 'outbound', '+14155550123', 'client:bob', 'in-progress', 3, now())`);
    // The softphone asks again (and hears the join's call.participants, ConferenceLiveUpdates), so this answer cannot stick.
    expect(await control().participants('bob', bobLeg)).toEqual({ callSid: bobLeg, controllable: false, participants: [] });
    await database.db.execute(participantRow(bobLeg, 'client:bob', 'bob', at(2)));
    expect(await control().participants('bob', bobLeg)).toMatchObject({ callSid: bobLeg, controllable: true });
  });

  it("holds the customer with the provider's music by default, resumes, and answers a repeated hold with the hold's start", async () => {
    const held = await control().hold('bob', bobLeg, true);
    expect(held).toMatchObject({ callSid: bobLeg, held: true });
    expect(Date.parse(held.heldSince ?? '')).not.toBeNaN();
    expect(fake.received).toEqual([{ name: 'setHold', conferenceSid, participant: customer, hold: true }]);

    // Once the hold callback is recorded, holding again (idempotent) answers the hold's own start.
    await holdEvent(5, 'participant-hold', at(20));
    expect(await control().hold('bob', bobLeg, true)).toEqual({ callSid: bobLeg, held: true, heldSince: at(20).toISOString() });
    expect(await control().hold('bob', bobLeg, false)).toEqual({ callSid: bobLeg, held: false, heldSince: null });
    expect((await fake.listParticipants(conferenceSid)).find((p) => p.callSid === customer)?.hold).toBe(false);
    expect(await control().hold('bob', bobLeg, false)).toEqual({ callSid: bobLeg, held: false, heldSince: null });
  });

  it('plays HOLD_MUSIC_URL when configured (and sends no music with a resume)', async () => {
    const configured = control({ HOLD_MUSIC_URL: 'https://cdn.example.com/hold.mp3' });
    await configured.hold('bob', bobLeg, true);
    await configured.hold('bob', bobLeg, false);
    expect(fake.received).toEqual([
      { name: 'setHold', conferenceSid, participant: customer, hold: true, holdMusic: { absoluteUrl: 'https://cdn.example.com/hold.mp3' } },
      { name: 'setHold', conferenceSid, participant: customer, hold: false },
    ]);
  });

  it('answers 404 to an agent never in the call and to an unknown call, changing nothing', async () => {
    expect(await refusal(control().hold('alice', bobLeg, true))).toEqual({ status: HttpStatus.NOT_FOUND, code: 'not-a-participant' });
    expect(await refusal(control().hold('alice', customer, true))).toEqual({ status: HttpStatus.NOT_FOUND, code: 'not-a-participant' });
    expect(await refusal(control().participants('alice', bobLeg))).toEqual({ status: HttpStatus.NOT_FOUND, code: 'not-a-participant' });
    expect(await refusal(control().hold('bob', `CA${'9'.repeat(32)}`, true))).toEqual({ status: HttpStatus.NOT_FOUND, code: 'not-a-participant' });
    expect(fake.received).toEqual([]);
  });

  it("answers 403 to an agent who has left (their own leg named), 410 once the call has ended, 404 to others then", async () => {
    const carolLeg = `CA${'c'.repeat(32)}`;
    await database.db.execute(participantRow(carolLeg, 'client:carol', 'carol', at(3), { left: at(9) }));
    expect(await refusal(control().hold('carol', carolLeg, true))).toEqual({ status: HttpStatus.FORBIDDEN, code: 'not-a-participant' });
    expect(await refusal(control().hold('carol', customer, true))).toEqual({ status: HttpStatus.NOT_FOUND, code: 'not-a-participant' });

    await database.db.execute(sql`UPDATE conferences SET status = 'completed' WHERE conference_sid = ${conferenceSid}`);
    expect(await refusal(control().hold('bob', bobLeg, true))).toEqual({ status: HttpStatus.GONE, code: 'call-gone' });
    expect(await refusal(control().participants('bob', bobLeg))).toEqual({ status: HttpStatus.GONE, code: 'call-gone' });
    expect(await refusal(control().hold('alice', bobLeg, true))).toEqual({ status: HttpStatus.NOT_FOUND, code: 'not-a-participant' });
    expect(fake.received).toEqual([]);
  });

  it('answers a live direct call of the agent (in no conference) as not controllable, refuses to hold it, and 410 once it ended', async () => {
    const direct = `CA${'d'.repeat(32)}`;
    const rung = `CA${'e'.repeat(32)}`;
    await database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, started_at)
      VALUES (${direct}, 'outbound', 'client:bob', 'client:alice', 'in-progress', 3, now()), (${rung}, 'inbound', '+14155550123', '+14155550100', 'in-progress', 3, now())`);
    await database.db.execute(sql`INSERT INTO call_participants (call_sid, agent_identity) VALUES (${rung}, 'sue')`);
    expect(await control().participants('bob', direct)).toEqual({ callSid: direct, controllable: false, participants: [] });
    expect(await control().participants('alice', direct)).toEqual({ callSid: direct, controllable: false, participants: [] });
    expect(await control().participants('sue', rung)).toEqual({ callSid: rung, controllable: false, participants: [] });
    expect(await refusal(control().participants('carol', direct))).toEqual({ status: HttpStatus.NOT_FOUND, code: 'not-a-participant' });
    expect(await refusal(control().hold('bob', direct, true))).toEqual({ status: HttpStatus.CONFLICT, code: 'target-unavailable' });
    await database.db.execute(sql`UPDATE calls SET status = 'completed', status_rank = 4 WHERE call_sid = ${direct}`);
    expect(await refusal(control().participants('bob', direct))).toEqual({ status: HttpStatus.GONE, code: 'call-gone' });
    expect(fake.received).toEqual([]);
  });

  it('answers 410 when the customer has left, or the provider says the conference or participant is gone', async () => {
    fake.failNext('conference-gone');
    expect(await refusal(control().hold('bob', bobLeg, true))).toEqual({ status: HttpStatus.GONE, code: 'call-gone' });
    fake.failNext('participant-gone');
    expect(await refusal(control().hold('bob', bobLeg, true))).toEqual({ status: HttpStatus.GONE, code: 'call-gone' });
    await database.db.execute(sql`UPDATE conference_participants SET left_at = now() WHERE call_sid = ${customer}`);
    fake.received.length = 0;
    expect(await refusal(control().hold('bob', bobLeg, true))).toEqual({ status: HttpStatus.GONE, code: 'call-gone' });
    expect(fake.received).toEqual([]);
  });

  it('answers 503 with a retry time when telephony or the database is unavailable, and 409 when the provider refuses', async () => {
    fake.failNext('telephony-unavailable');
    expect(await refusal(control().hold('bob', bobLeg, true))).toEqual({ status: HttpStatus.SERVICE_UNAVAILABLE, retryAfter: 5 });
    fake.failNext('rejected');
    expect(await refusal(control().hold('bob', bobLeg, true))).toEqual({ status: HttpStatus.CONFLICT, code: 'target-unavailable' });
    const failingDatabase = { find: async () => { throw new Error('connection terminated'); } } as unknown as CallAnchors;
    expect(await refusal(control({}, failingDatabase).participants('bob', bobLeg))).toEqual({ status: HttpStatus.SERVICE_UNAVAILABLE, retryAfter: 5 });
  });
});
