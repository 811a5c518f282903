import { randomBytes } from 'node:crypto';
import { HttpStatus } from '@nestjs/common';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import {
  AgentsRepository, CallsRepository, ConferencesRepository, Database, RescuesRepository, TransfersRepository,
} from '@switchboard/api-data-access-db';
import { FakeConferenceCommands } from '@switchboard/api-data-access-telephony/testing';
import { sql } from 'drizzle-orm';
import { CallAnchors } from './call-anchors';
import { CallControl } from './call-control.service';
import { HangUps } from './hang-up.service';
import { rescueHoldTwiml, RESCUE_HOLD_MESSAGE } from './rescue-hold.controller';
import { anchoredCustomerWithBob, callControlRefusal, closeTestDatabase, ENGINES, insertParticipantRow, openTestDatabase } from './testing/call-control-fixtures';

describe('rescueHoldTwiml', () => {
  it('says the message, then plays HOLD_MUSIC_URL in a loop, or hands over to the provider\'s default hold music', () => {
    expect(rescueHoldTwiml(loadAppConfig({ HOLD_MUSIC_URL: 'https://cdn.example.com/hold.wav?a=1&b=2' }))).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${RESCUE_HOLD_MESSAGE}</Say><Play loop="0">https://cdn.example.com/hold.wav?a=1&amp;b=2</Play></Response>`);
    expect(rescueHoldTwiml(loadAppConfig({}))).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${RESCUE_HOLD_MESSAGE}</Say>`
      + '<Redirect method="GET">https://twimlets.com/holdmusic?Bucket=com.twilio.music.classical</Redirect></Response>');
  });
});

/** The hang-up route's service on the real repositories with FakeConferenceCommands. */
describe.each(ENGINES)('HangUps (%s)', (engine) => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let database: Database;
  let fake: FakeConferenceCommands;
  let hangUps: HangUps;
  let conferenceSid: string;
  let customer: string;
  let bobLeg: string;

  const participantRow = (callSid: string, label: string, identity: string | null) => insertParticipantRow(database, conferenceSid, callSid, label, identity);
  const refusal = (promise: Promise<unknown>) => callControlRefusal(promise);
  const intended = (callSid: string) => new RescuesRepository(database).isIntendedLeave(callSid);

  beforeAll(async () => {
    database = await openTestDatabase(engine, schema);
  }, 120_000);
  afterAll(() => closeTestDatabase(engine, schema, database));

  beforeEach(async () => {
    await database.db.execute(sql`TRUNCATE conferences, conference_participants, conference_events, calls, call_participants, transfers, rescues, intended_leaves`);
    fake = new FakeConferenceCommands();
    ({ customer, conferenceSid, bobLeg } = await anchoredCustomerWithBob(database, fake));
    fake.received.length = 0;
    const control = new CallControl(new CallAnchors(database), new ConferencesRepository(database), new CallsRepository(database),
      new AgentsRepository(database), fake, loadAppConfig({}));
    hangUps = new HangUps(control, new RescuesRepository(database), new TransfersRepository(database), fake);
  });

  it("records bob's leave as intended, takes his leg out and ends the caller's call when he was the last agent", async () => {
    expect(await hangUps.hangUp('bob', bobLeg)).toEqual({ callSid: bobLeg, customerCallEnded: true });
    expect(await intended(bobLeg)).toBe(true);
    expect(fake.received).toEqual([
      { name: 'removeParticipant', conferenceSid, participant: bobLeg },
      { name: 'completeConference', conferenceSid },
    ]);
    expect(fake.calls.get(customer)).toBe('completed');
  });

  it('leaves the call going when another agent stays, or a transfer target rings', async () => {
    const { callSid: aliceLeg } = await fake.addParticipant({ conference: { sid: conferenceSid }, to: 'client:alice', from: '+1', label: 'client:alice',
      timeoutSeconds: 20, startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, callStatusCallback: { path: '/s' },
      conferenceStatusCallback: { path: '/c' }, conferenceEvents: [] });
    fake.answer(aliceLeg);
    await participantRow(aliceLeg, 'client:alice', 'alice');
    fake.received.length = 0;
    expect(await hangUps.hangUp('bob', bobLeg)).toEqual({ callSid: bobLeg, customerCallEnded: false });
    expect(fake.received).toEqual([{ name: 'removeParticipant', conferenceSid, participant: bobLeg }]);

    await database.db.execute(sql`UPDATE conference_participants SET left_at = now() WHERE call_sid = ${bobLeg}`);
    await new TransfersRepository(database).create({
      transferId: '0b0d186b-cca9-4640-9d70-000000000002', conferenceSid, customerCallSid: customer, fromIdentity: 'alice', fromCallSid: aliceLeg,
      targetKind: 'agent', targetValue: 'carol', targetDisplay: 'Carol', mode: 'cold', expectedLegs: 1, capKey: null,
    }, 600);
    fake.received.length = 0;
    expect(await hangUps.hangUp('alice', aliceLeg)).toEqual({ callSid: aliceLeg, customerCallEnded: false });
    expect(fake.received).toEqual([{ name: 'removeParticipant', conferenceSid, participant: aliceLeg }]);
  });

  it('refuses another agent (404) and bob once he left (403), changing nothing; a leg that already dropped is taken as out', async () => {
    expect(await refusal(hangUps.hangUp('alice', bobLeg))).toEqual({ status: HttpStatus.NOT_FOUND, code: 'not-a-participant' });
    expect(await refusal(hangUps.hangUp('alice', customer))).toEqual({ status: HttpStatus.NOT_FOUND, code: 'not-a-participant' });
    expect(fake.received).toEqual([]);
    expect(await intended(bobLeg)).toBe(false);

    fake.hangUp(bobLeg); // dropped at the provider, not yet in the record
    expect(await hangUps.hangUp('bob', bobLeg)).toEqual({ callSid: bobLeg, customerCallEnded: true });
    await database.db.execute(sql`UPDATE conference_participants SET left_at = now() WHERE call_sid = ${bobLeg}`);
    expect(await refusal(hangUps.hangUp('bob', bobLeg))).toEqual({ status: HttpStatus.FORBIDDEN, code: 'not-a-participant' });
  });

  it('answers 409 for a direct call of his (not in a conference), which the softphone then disconnects itself', async () => {
    const direct = `CA${'d'.repeat(32)}`;
    await database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, started_at)
      VALUES (${direct}, 'outbound', 'client:bob', 'client:alice', 'in-progress', 3, now())`);
    expect(await refusal(hangUps.hangUp('bob', direct))).toEqual({ status: HttpStatus.CONFLICT, code: 'target-unavailable' });
    expect(fake.received).toEqual([]);
  });
});
