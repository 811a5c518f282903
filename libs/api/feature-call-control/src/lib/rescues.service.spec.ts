import { randomBytes } from 'node:crypto';
import { HttpStatus } from '@nestjs/common';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import {
  CallsRepository, ConferencesRepository, Database, RescuesRepository, rowsOf, TransfersRepository,
} from '@switchboard/api-data-access-db';
import type { LiveEventPublisher } from '@switchboard/api-data-access-live-events';
import { CallProgressEvents } from '@switchboard/api-data-access-telephony';
import { FakeConferenceCommands } from '@switchboard/api-data-access-telephony/testing';
import { REJOIN_PARAM, WEBHOOK_ROUTES, type CallRescueAvailableEvent } from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';
import { CustomerAloneListener, afterAgentLeft } from './customer-alone';
import { RescueExpiry } from './rescue-expiry';
import { CallRescues } from './rescues.service';
import { anchoredCustomerWithBob, callControlRefusal, closeTestDatabase, ENGINES, insertParticipantRow, openTestDatabase } from './testing/call-control-fixtures';

describe('afterAgentLeft', () => {
  const customer = { callSid: 'CA1', label: 'customer' };
  it('rescues a customer left alone by a drop, ends the call after an intended hang-up, and otherwise does nothing', () => {
    expect(afterAgentLeft([customer], false, false)).toEqual({ action: 'rescue', customerCallSid: 'CA1' });
    expect(afterAgentLeft([customer], false, true)).toEqual({ action: 'end' });
    expect(afterAgentLeft([customer, { callSid: 'CA2', label: 'client:alice' }], false, false)).toEqual({ action: 'nothing' });
    expect(afterAgentLeft([customer, { callSid: 'CA3', label: 'transfer' }], false, true)).toEqual({ action: 'nothing' });
    expect(afterAgentLeft([customer], true, false)).toEqual({ action: 'nothing' });
    expect(afterAgentLeft([], false, false)).toEqual({ action: 'nothing' });
    expect(afterAgentLeft([{ callSid: 'CA2', label: 'client:alice' }], false, false)).toEqual({ action: 'nothing' });
  });

  it('counts a monitoring supervisor as nobody: the customer left with only sam listening is rescued, or the call ends', () => {
    const sam = { callSid: 'CA9', label: 'monitor:sam' };
    expect(afterAgentLeft([customer, sam], false, false)).toEqual({ action: 'rescue', customerCallSid: 'CA1' });
    expect(afterAgentLeft([sam, customer], false, true)).toEqual({ action: 'end' });
    expect(afterAgentLeft([customer, sam, { callSid: 'CA2', label: 'client:alice' }], false, true)).toEqual({ action: 'nothing' });
  });
});

/** Rescue on the real repositories with FakeConferenceCommands; conference callbacks are fed to CallProgressEvents as the processor does. */
describe.each(ENGINES)('CallRescues and CustomerAloneListener (%s)', (engine) => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let database: Database;
  let fake: FakeConferenceCommands;
  let progress: CallProgressEvents;
  let rescues: CallRescues;
  let listener: CustomerAloneListener;
  let published: Array<{ type: string; data: CallRescueAvailableEvent; agents: readonly string[] | undefined }>;
  let conferenceSid: string;
  let customer: string;
  let bobLeg: string;
  let clock: Date;
  const later = (seconds: number) => new Date(clock.getTime() + seconds * 1000);

  const newRescues = () => new CallRescues(new RescuesRepository(database), new ConferencesRepository(database), new CallsRepository(database), fake,
    loadAppConfig({ RESCUE_WINDOW_SECONDS: '30' }), {
      publish: async (type: string, data: CallRescueAvailableEvent, audience: { agents?: readonly string[] }) => { published.push({ type, data, agents: audience.agents }); },
    } as unknown as LiveEventPublisher);
  const participantRow = (callSid: string, label: string, identity: string | null) => insertParticipantRow(database, conferenceSid, callSid, label, identity);
  /** A participant's leave as the record and the processor's notice tell it. */
  const leaves = async (callSid: string, label: string) => {
    await database.db.execute(sql`UPDATE conference_participants SET left_at = now() WHERE conference_sid = ${conferenceSid} AND call_sid = ${callSid}`);
    progress.publish({ kind: 'conference', conferenceSid, friendlyName: 'room', event: 'participant-leave', callSid, label });
    await listener.settled();
  };
  const joins = async (callSid: string, label: string, identity: string) => {
    await participantRow(callSid, label, identity);
    progress.publish({ kind: 'conference', conferenceSid, friendlyName: 'room', event: 'participant-join', callSid, label });
    await listener.settled();
  };
  const rescueRows = async () => rowsOf(await database.db.execute(sql`SELECT identity, dropped_call_sid, state FROM rescues ORDER BY opened_at`));
  const refusal = (promise: Promise<unknown>) => callControlRefusal(promise);
  const commands = () => fake.received.filter((c) => c.name !== 'listParticipants');

  beforeAll(async () => {
    database = await openTestDatabase(engine, schema);
  }, 120_000);
  afterAll(() => closeTestDatabase(engine, schema, database));

  // A customer anchored in a conference, bob's softphone leg in it, as the callbacks recorded them.
  beforeEach(async () => {
    await database.db.execute(sql`TRUNCATE conferences, conference_participants, conference_events, calls, transfers, rescues, intended_leaves`);
    fake = new FakeConferenceCommands();
    ({ customer, conferenceSid, bobLeg } = await anchoredCustomerWithBob(database, fake));
    await database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, voicemail_target, status, status_rank, started_at)
      VALUES (${customer}, 'inbound', '+14155550123', '+14155550100', 'group:support', 'in-progress', 3, now())`);
    fake.received.length = 0;
    published = [];
    progress = new CallProgressEvents();
    rescues = newRescues();
    listener = new CustomerAloneListener(new ConferencesRepository(database), new TransfersRepository(database), new RescuesRepository(database), rescues, fake, progress);
    listener.onModuleInit();
    clock = new Date();
  });
  afterEach(() => listener.onModuleDestroy());

  it("bob's leg dropping opens a rescue: the caller is held with the rescue message, bob is told, and may rejoin (only he, only while open)", async () => {
    fake.hangUp(bobLeg);
    await leaves(bobLeg, 'client:bob');
    expect(commands()).toEqual([{ name: 'setHold', conferenceSid, participant: customer, hold: true, holdMusic: { webhook: { path: WEBHOOK_ROUTES.rescueHold } } }]);
    expect(await rescueRows()).toEqual([{ identity: 'bob', dropped_call_sid: bobLeg, state: 'open' }]);
    expect(published).toEqual([{
      type: 'call.rescue-available', agents: ['bob'],
      data: { rejoinable: { callSid: bobLeg, customerDisplay: '+1 ••• ••• 0123', expiresAt: expect.any(String) } },
    }]);
    const expiresAt = new Date(published[0].data.rejoinable.expiresAt);
    expect(Math.round((expiresAt.getTime() - clock.getTime()) / 1000)).toBe(30);
    expect(await rescues.rejoinable('bob')).toEqual({ calls: [published[0].data.rejoinable] });
    expect(await rescues.rejoinable('alice')).toEqual({ calls: [] });

    const [row] = rowsOf(await database.db.execute(sql`SELECT rescue_id FROM rescues`)) as Array<{ rescue_id: string }>;
    expect(await rescues.rejoin('bob', bobLeg)).toEqual({ callSid: bobLeg, to: 'rejoin', params: { [REJOIN_PARAM]: row.rescue_id } });
    expect(await refusal(rescues.rejoin('alice', bobLeg))).toEqual({ status: HttpStatus.NOT_FOUND, code: 'not-a-participant' });
    expect(await refusal(rescues.rejoin('bob', customer))).toEqual({ status: HttpStatus.NOT_FOUND, code: 'not-a-participant' });
    expect(await refusal(rescues.rejoin('bob', bobLeg, expiresAt))).toEqual({ status: HttpStatus.GONE, code: 'call-gone' });

    // The same leave processed again opens nothing more.
    await leaves(bobLeg, 'client:bob');
    expect(commands()).toHaveLength(1);

    // bob's new leg joins: the rescue is closed as rejoined and the caller resumed; rejoining again answers 410.
    const { callSid: newLeg } = await fake.addParticipant({ conference: { sid: conferenceSid }, to: 'client:bob', from: '+1', label: 'client:bob',
      timeoutSeconds: 20, startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, callStatusCallback: { path: '/s' },
      conferenceStatusCallback: { path: '/c' }, conferenceEvents: [] });
    fake.answer(newLeg);
    fake.received.length = 0;
    await joins(newLeg, 'client:bob', 'bob');
    expect(commands()).toEqual([{ name: 'setHold', conferenceSid, participant: customer, hold: false }]);
    expect(await rescueRows()).toEqual([{ identity: 'bob', dropped_call_sid: bobLeg, state: 'rejoined' }]);
    expect(await refusal(rescues.rejoin('bob', bobLeg))).toEqual({ status: HttpStatus.GONE, code: 'call-gone' });
    expect(await rescues.rejoinable('bob')).toEqual({ calls: [] });
  });

  it('ends the call instead when bob hung up on purpose (recorded by the hang-up route): no rescue', async () => {
    await new RescuesRepository(database).recordIntendedLeave(bobLeg, 'bob');
    fake.hangUp(bobLeg);
    await leaves(bobLeg, 'client:bob');
    expect(commands()).toEqual([{ name: 'completeConference', conferenceSid }]);
    expect(await rescueRows()).toEqual([]);
    expect(published).toEqual([]);
  });

  it('opens no rescue while another agent is still in the call; the last agent dropping opens it, the customer hanging up closes it as ended', async () => {
    await participantRow(`CA${'a'.repeat(32)}`, 'client:alice', 'alice');
    await leaves(bobLeg, 'client:bob');
    await leaves(`CA${'a'.repeat(32)}`, 'client:alice');
    expect(commands()).toEqual([{ name: 'setHold', conferenceSid, participant: customer, hold: true, holdMusic: { webhook: { path: WEBHOOK_ROUTES.rescueHold } } }]);
    expect(await rescueRows()).toEqual([{ identity: 'alice', dropped_call_sid: `CA${'a'.repeat(32)}`, state: 'open' }]);

    // The customer hanging up closes it as ended.
    await leaves(customer, 'customer');
    expect(await rescueRows()).toEqual([{ identity: 'alice', dropped_call_sid: `CA${'a'.repeat(32)}`, state: 'ended' }]);
  });

  it('opens no rescue while a transfer target rings', async () => {
    await new TransfersRepository(database).create({
      transferId: '0b0d186b-cca9-4640-9d70-000000000001', conferenceSid, customerCallSid: customer, fromIdentity: 'bob', fromCallSid: bobLeg,
      targetKind: 'agent', targetValue: 'alice', targetDisplay: 'Alice', mode: 'cold', expectedLegs: 1, capKey: null,
    }, 600);
    await leaves(bobLeg, 'client:bob');
    expect(commands()).toEqual([]);
    expect(await rescueRows()).toEqual([]);
  });

  it('sends the caller to voicemail once the window passed, exactly once across two instances; a caller already gone is closed as ended', async () => {
    fake.hangUp(bobLeg);
    await leaves(bobLeg, 'client:bob');
    fake.received.length = 0;
    const other = newRescues();
    const [early] = await Promise.all([rescues.expireDue(later(29)), other.expireDue(later(29))]);
    expect(early).toEqual([]);
    const [first, second] = await Promise.all([rescues.expireDue(later(31)), other.expireDue(later(31))]);
    expect([...first, ...second].map((r) => r.droppedCallSid)).toEqual([bobLeg]);
    expect(commands()).toEqual([{ name: 'redirectCall', callSid: customer, twiml: { path: WEBHOOK_ROUTES.dialComplete, query: { anchor: 'unanswered' } } }]);
    expect(await rescueRows()).toEqual([{ identity: 'bob', dropped_call_sid: bobLeg, state: 'voicemail' }]);
    expect(await refusal(rescues.rejoin('bob', bobLeg))).toEqual({ status: HttpStatus.GONE, code: 'call-gone' });
  });

  it('retries the voicemail redirect when telephony did not answer, and closes a rescue whose caller already left', async () => {
    fake.hangUp(bobLeg);
    await leaves(bobLeg, 'client:bob');
    const expiry = new RescueExpiry(rescues, progress);
    fake.failNext('telephony-unavailable');
    await expiry.tick(later(31));
    expect(await rescueRows()).toEqual([{ identity: 'bob', dropped_call_sid: bobLeg, state: 'open' }]);
    fake.hangUp(customer);
    await expiry.tick(later(32));
    expect(await rescueRows()).toEqual([{ identity: 'bob', dropped_call_sid: bobLeg, state: 'ended' }]);
    expect(fake.received.filter((c) => c.name === 'redirectCall')).toHaveLength(2);
  });

  it('ends the call when the caller cannot be redirected to voicemail (not-connected), instead of holding them for good', async () => {
    fake.hangUp(bobLeg);
    await leaves(bobLeg, 'client:bob');
    fake.received.length = 0;
    fake.failNext('not-connected');
    expect(await rescues.expireDue(later(31))).toEqual([]);
    expect(commands()).toEqual([
      { name: 'redirectCall', callSid: customer, twiml: { path: WEBHOOK_ROUTES.dialComplete, query: { anchor: 'unanswered' } } },
      { name: 'completeConference', conferenceSid },
    ]);
    expect(fake.calls.get(customer)).toBe('completed');
    expect(await rescueRows()).toEqual([{ identity: 'bob', dropped_call_sid: bobLeg, state: 'ended' }]);
  });
});
