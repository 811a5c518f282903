import { randomBytes } from 'node:crypto';
import { HttpStatus } from '@nestjs/common';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import {
  AgentsRepository, CallsRepository, ConferencesRepository, Database, OutboundCallCaps, rowsOf, RoutingRepository, TransfersRepository,
} from '@switchboard/api-data-access-db';
import type { LiveEventPublisher } from '@switchboard/api-data-access-live-events';
import { CallProgressEvents } from '@switchboard/api-data-access-telephony';
import { FakeConferenceCommands } from '@switchboard/api-data-access-telephony/testing';
import type { CallTransferEvent, ConsultAction, TransferRequest } from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';
import { CallAnchors } from './call-anchors';
import { CallControl } from './call-control.service';
import { ColdTransfers } from './cold-transfers.service';
import { ConsultTransfers } from './consult-transfers.service';
import { TransferJoinListener } from './transfer-join-listener';
import { TransferMoves } from './transfer-moves';
import { TransferTargets } from './transfer-targets';
import { TransferUpdates } from './transfer-updates';
import { anchoredCustomerWithBob, callControlRefusal, closeTestDatabase, ENGINES, insertParticipantRow, openTestDatabase } from './testing/call-control-fixtures';

/**
 * Consult (warm transfer) on the real repositories with FakeConferenceCommands: bob, with a customer anchored
 * in a conference, consults alice; leg callbacks are fed to onLegStatus as the webhook does, and the record's
 * rows are written as the conference callbacks would.
 */
describe.each(ENGINES)('ConsultTransfers (%s)', (engine) => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let database: Database;
  let fake: FakeConferenceCommands;
  let transfers: ColdTransfers;
  let consults: ConsultTransfers;
  let conferenceSid: string;
  let customer: string;
  let bobLeg: string;
  let published: CallTransferEvent[];
  const consultAlice: TransferRequest = { target: { kind: 'agent', identity: 'alice' }, mode: 'consult' };

  const participantRow = (callSid: string, label: string, identity: string | null) => insertParticipantRow(database, conferenceSid, callSid, label, identity);
  const left = (callSid: string) => database.db.execute(sql`UPDATE conference_participants SET left_at = now() WHERE call_sid = ${callSid}`);
  const refusal = (promise: Promise<unknown>) => callControlRefusal(promise);
  const record = async (transferId: string) => {
    const [row] = rowsOf(await database.db.execute(sql`SELECT mode, status, miss_reason, outcome FROM transfers WHERE transfer_id = ${transferId}`));
    return row;
  };
  const legOf = async (label: string) => (await fake.listParticipants(conferenceSid)).find((p) => p.label === label)?.callSid as string;
  /** Who is in the conference at the provider, and whether held. */
  const atProvider = async () => (await fake.listParticipants(conferenceSid)).map((p) => [p.label, p.hold]);
  const changes = () => fake.received.filter((c) => !['addParticipant', 'listParticipants'].includes(c.name));
  const statuses = () => published.map((event) => event.status);

  /** bob consults alice, who answers and is recorded in the conference: the agents talk, the customer held. */
  async function answeredConsult(): Promise<{ transferId: string; aliceLeg: string }> {
    const { transferId } = await transfers.transfer('bob', bobLeg, consultAlice);
    const aliceLeg = await legOf('client:alice');
    fake.answer(aliceLeg);
    await transfers.onLegStatus(transferId, aliceLeg, 'in-progress');
    await participantRow(aliceLeg, 'client:alice', 'alice');
    fake.received.length = 0;
    return { transferId, aliceLeg };
  }

  beforeAll(async () => {
    database = await openTestDatabase(engine, schema);
    const agents = new AgentsRepository(database);
    for (const [identity, displayName] of [['bob', 'Bob Builder'], ['alice', 'Alice Able'], ['carol', 'Carol Cole']] as const) {
      await agents.insert({ identity, displayName, role: 'agent', passwordHash: 'x', enabled: true });
    }
  }, 120_000);
  afterAll(() => closeTestDatabase(engine, schema, database));

  // A customer anchored in a conference, bob's softphone leg in it, as the callbacks recorded them.
  beforeEach(async () => {
    await database.db.execute(sql`TRUNCATE conferences, conference_participants, conference_events, calls, call_participants, transfers,
      outbound_call_grants, outbound_call_refusals`);
    fake = new FakeConferenceCommands();
    ({ customer, conferenceSid, bobLeg } = await anchoredCustomerWithBob(database, fake));
    await database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, started_at)
      VALUES (${customer}, 'inbound', '+14155550123', '+14155550100', 'in-progress', 3, now())`);
    fake.received.length = 0;
    published = [];
    const config = loadAppConfig({});
    const conferences = new ConferencesRepository(database);
    const agents = new AgentsRepository(database);
    const control = new CallControl(new CallAnchors(database), conferences, new CallsRepository(database), agents, fake, config);
    const targets = new TransferTargets(agents, new RoutingRepository(database), new OutboundCallCaps(database), config);
    const repository = new TransfersRepository(database);
    const publisher = { publish: async (_type: string, data: CallTransferEvent) => { published.push(data); } } as unknown as LiveEventPublisher;
    const updates = new TransferUpdates(repository, publisher);
    const moves = new TransferMoves(fake);
    consults = new ConsultTransfers(control, repository, updates, moves, targets, conferences);
    transfers = new ColdTransfers(control, targets, repository, updates, moves, consults, conferences, new CallsRepository(database), fake, config);
  });

  it("holds the customer while alice rings and after she answers: bob stays to talk with her; the answer's repeats change nothing", async () => {
    const answer = await transfers.transfer('bob', bobLeg, consultAlice);
    expect(answer).toEqual({ callSid: bobLeg, transferId: expect.any(String), mode: 'consult', status: 'ringing-target', targetDisplay: 'Alice Able' });
    const aliceLeg = await legOf('client:alice');
    fake.answer(aliceLeg);
    for (const status of ['in-progress', 'in-progress', 'ringing']) await transfers.onLegStatus(answer.transferId, aliceLeg, status);
    expect(await record(answer.transferId)).toEqual({ mode: 'consult', status: 'answered', miss_reason: null, outcome: null });
    expect(changes()).toEqual([{ name: 'setHold', conferenceSid, participant: customer, hold: true }]);
    expect(await atProvider()).toEqual([['customer', true], ['client:bob', false], ['client:alice', false]]);
    expect(published).toEqual(['ringing-target', 'answered'].map((status) => (
      { callSid: bobLeg, transferId: answer.transferId, mode: 'consult', status, targetDisplay: 'Alice Able' })));
    // No other transfer while the agents talk.
    expect(await refusal(transfers.transfer('bob', bobLeg, { target: { kind: 'agent', identity: 'carol' }, mode: 'cold' })))
      .toEqual({ status: HttpStatus.CONFLICT, code: 'target-unavailable' });
  });

  it('complete: bob leaves, the customer is resumed with alice; bob then is no longer a participant (403) and nothing is done twice', async () => {
    const { transferId, aliceLeg } = await answeredConsult();
    expect(await consults.act('bob', bobLeg, 'complete')).toEqual({ callSid: bobLeg, action: 'complete', participants: [] });
    expect(changes()).toEqual([
      { name: 'removeParticipant', conferenceSid, participant: bobLeg },
      { name: 'setHold', conferenceSid, participant: customer, hold: false },
    ]);
    expect(await atProvider()).toEqual([['customer', false], ['client:alice', false]]);
    expect(await record(transferId)).toMatchObject({ status: 'answered', outcome: 'completed' });
    // Retried before bob's leave is recorded: the same answer, no command again; once recorded, 403.
    fake.received.length = 0;
    expect(await consults.act('bob', bobLeg, 'complete')).toMatchObject({ participants: [] });
    await left(bobLeg);
    expect(await refusal(consults.act('bob', bobLeg, 'complete'))).toEqual({ status: HttpStatus.FORBIDDEN, code: 'not-a-participant' });
    await transfers.onLegStatus(transferId, aliceLeg, 'in-progress');
    expect(changes()).toEqual([]);
    expect(statuses()).toEqual(['ringing-target', 'answered']);
  });

  it('cancel once answered: alice is removed, the customer resumed with bob; a repeat answers alike, another action 409', async () => {
    const { transferId, aliceLeg } = await answeredConsult();
    const answer = await consults.act('bob', bobLeg, 'cancel');
    expect(answer).toMatchObject({ callSid: bobLeg, action: 'cancel' });
    expect(answer.participants.map((p) => p.identity)).toContain('bob');
    expect(changes()).toEqual([
      { name: 'removeParticipant', conferenceSid, participant: aliceLeg },
      { name: 'setHold', conferenceSid, participant: customer, hold: false },
    ]);
    expect(await atProvider()).toEqual([['customer', false], ['client:bob', false]]);
    expect(await record(transferId)).toMatchObject({ status: 'cancelled', outcome: 'cancelled' });
    expect(statuses()).toEqual(['ringing-target', 'answered', 'cancelled']);
    // alice's leg ending (its callback, its leave) after the cancel changes nothing.
    fake.received.length = 0;
    await transfers.onLegStatus(transferId, aliceLeg, 'completed');
    expect((await consults.act('bob', bobLeg, 'cancel')).action).toBe('cancel');
    expect(await refusal(consults.act('bob', bobLeg, 'three-way'))).toEqual({ status: HttpStatus.CONFLICT, code: 'target-unavailable' });
    expect(changes()).toEqual([]);
    expect(statuses()).toHaveLength(3);
  });

  it('cancel while ringing: the target leg is cancelled, the customer resumed; an answer that crosses the cancel is removed', async () => {
    const { transferId } = await transfers.transfer('bob', bobLeg, consultAlice);
    const aliceLeg = await legOf('client:alice');
    fake.received.length = 0;
    await consults.act('bob', bobLeg, 'cancel');
    expect(changes()).toEqual([
      { name: 'endCall', callSid: aliceLeg, mode: 'cancel-if-not-answered' },
      { name: 'setHold', conferenceSid, participant: customer, hold: false },
    ]);
    expect(await record(transferId)).toEqual({ mode: 'consult', status: 'cancelled', miss_reason: null, outcome: 'cancelled' });
    await transfers.onLegStatus(transferId, aliceLeg, 'canceled');
    expect(await record(transferId)).toMatchObject({ status: 'cancelled' });
    expect(statuses()).toEqual(['ringing-target', 'cancelled']);

    // The same for a cold transfer; here carol's answer arrives after the cancel was stored.
    const cold = await transfers.transfer('bob', bobLeg, { target: { kind: 'agent', identity: 'carol' }, mode: 'cold' });
    const carolLeg = await legOf('client:carol');
    fake.answer(carolLeg);
    fake.received.length = 0;
    await consults.act('bob', bobLeg, 'cancel');
    await transfers.onLegStatus(cold.transferId, carolLeg, 'in-progress');
    expect(await record(cold.transferId)).toEqual({ mode: 'cold', status: 'cancelled', miss_reason: null, outcome: 'cancelled' });
    expect(changes()).toEqual([
      { name: 'endCall', callSid: carolLeg, mode: 'cancel-if-not-answered' },
      { name: 'setHold', conferenceSid, participant: customer, hold: false },
      { name: 'removeParticipant', conferenceSid, participant: carolLeg },
    ]);
    expect(await atProvider()).toEqual([['customer', false], ['client:bob', false]]);
  });

  it('three-way: the customer is resumed, everyone stays, the consult is finished so a new transfer may start', async () => {
    const { transferId } = await answeredConsult();
    const answer = await consults.act('bob', bobLeg, 'three-way');
    expect(answer.participants.map((p) => [p.identity, p.role]).sort()).toEqual([[null, 'customer'], ['alice', 'agent'], ['bob', 'agent']]);
    expect(changes()).toEqual([{ name: 'setHold', conferenceSid, participant: customer, hold: false }]);
    expect(await atProvider()).toEqual([['customer', false], ['client:bob', false], ['client:alice', false]]);
    expect(await record(transferId)).toMatchObject({ status: 'answered', outcome: 'three-way' });
    for (const action of ['complete', 'cancel'] as const) {
      expect(await refusal(consults.act('bob', bobLeg, action))).toEqual({ status: HttpStatus.CONFLICT, code: 'target-unavailable' });
    }
    expect(changes()).toHaveLength(1);
    expect((await transfers.transfer('bob', bobLeg, { target: { kind: 'agent', identity: 'carol' }, mode: 'consult' })).status).toBe('ringing-target');
  });

  it('refuses actions with no consult in the right state (409), a stranger (404), and the consulted agent (409); nothing changes', async () => {
    for (const action of ['complete', 'cancel', 'three-way'] as const) {
      expect(await refusal(consults.act('bob', bobLeg, action))).toEqual({ status: HttpStatus.CONFLICT, code: 'target-unavailable' });
    }
    const { transferId } = await transfers.transfer('bob', bobLeg, consultAlice);
    for (const action of ['complete', 'three-way'] as const) {
      expect(await refusal(consults.act('bob', bobLeg, action))).toEqual({ status: HttpStatus.CONFLICT, code: 'target-unavailable' });
    }
    const aliceLeg = await legOf('client:alice');
    fake.answer(aliceLeg);
    await transfers.onLegStatus(transferId, aliceLeg, 'in-progress');
    await participantRow(aliceLeg, 'client:alice', 'alice');
    fake.received.length = 0;
    const attempts: Array<[string, string, ConsultAction, { status: number; code: string }]> = [
      ['carol', bobLeg, 'complete', { status: HttpStatus.NOT_FOUND, code: 'not-a-participant' }],
      ['carol', customer, 'cancel', { status: HttpStatus.NOT_FOUND, code: 'not-a-participant' }],
      // alice is in the call now, but the consult is bob's to finish.
      ['alice', bobLeg, 'cancel', { status: HttpStatus.CONFLICT, code: 'target-unavailable' }],
      ['alice', aliceLeg, 'complete', { status: HttpStatus.CONFLICT, code: 'target-unavailable' }],
      ['alice', aliceLeg, 'three-way', { status: HttpStatus.CONFLICT, code: 'target-unavailable' }],
    ];
    for (const [identity, callSid, action, expected] of attempts) expect(await refusal(consults.act(identity, callSid, action))).toEqual(expected);
    expect(fake.received).toEqual([]);
    expect(await record(transferId)).toMatchObject({ status: 'answered', outcome: null });
  });

  it('a consult nobody answers, or whose target hangs up while the agents talk, comes back to bob with the customer resumed', async () => {
    const missed = await transfers.transfer('bob', bobLeg, consultAlice);
    const unanswered = await legOf('client:alice');
    fake.hangUp(unanswered, 'no-answer');
    await transfers.onLegStatus(missed.transferId, unanswered, 'no-answer');
    expect(await record(missed.transferId)).toEqual({ mode: 'consult', status: 'returned-to-you', miss_reason: 'no-answer', outcome: 'returned' });
    expect(changes()).toContainEqual({ name: 'setHold', conferenceSid, participant: customer, hold: false });
    expect(published.at(-1)).toEqual({ callSid: bobLeg, transferId: missed.transferId, mode: 'consult', status: 'no-answer', targetDisplay: 'Alice Able' });

    const { transferId, aliceLeg } = await answeredConsult();
    fake.hangUp(aliceLeg);
    await transfers.onLegStatus(transferId, aliceLeg, 'completed');
    await transfers.onLegStatus(transferId, aliceLeg, 'completed');
    expect(await record(transferId)).toEqual({ mode: 'consult', status: 'returned-to-you', miss_reason: null, outcome: 'returned' });
    expect(changes()).toEqual([{ name: 'setHold', conferenceSid, participant: customer, hold: false }]);
    // A miss says why; a target who hung up mid-consult has no reason, so bob reads only that the caller is back.
    expect(statuses()).toEqual(['ringing-target', 'no-answer', 'ringing-target', 'answered', 'returned-to-you']);
  });

  it('a consult alice declines (her softphone answers busy) or whose leg fails tells bob the reason', async () => {
    const declined = await transfers.transfer('bob', bobLeg, consultAlice);
    const declinedLeg = await legOf('client:alice');
    fake.hangUp(declinedLeg, 'busy');
    await transfers.onLegStatus(declined.transferId, declinedLeg, 'busy');
    expect(await record(declined.transferId)).toEqual({ mode: 'consult', status: 'returned-to-you', miss_reason: 'declined', outcome: 'returned' });
    expect(published.at(-1)).toEqual({ callSid: bobLeg, transferId: declined.transferId, mode: 'consult', status: 'declined', targetDisplay: 'Alice Able' });

    const failed = await transfers.transfer('bob', bobLeg, consultAlice);
    const failedLeg = await legOf('client:alice');
    fake.hangUp(failedLeg, 'failed');
    await transfers.onLegStatus(failed.transferId, failedLeg, 'failed');
    await transfers.onLegStatus(failed.transferId, failedLeg, 'failed');
    expect(await record(failed.transferId)).toMatchObject({ status: 'returned-to-you', miss_reason: 'failed' });
    expect(statuses()).toEqual(['ringing-target', 'declined', 'ringing-target', 'failed']);
    expect(changes().filter((c) => c.name === 'setHold' && !c.hold)).toHaveLength(2);
  });

  it("ends an open consult on a participant's leave: alice's as her hang-up, bob's completes it; other leaves change nothing", async () => {
    const progress = new CallProgressEvents();
    const listener = new TransferJoinListener(new TransfersRepository(database), transfers, consults, progress);
    listener.onModuleInit();
    const leave = (callSid: string, label: string) => progress.publish({ kind: 'conference', conferenceSid, friendlyName: 'room', event: 'participant-leave', callSid, label });

    const first = await answeredConsult();
    leave('CA0000000000000000000000000000ffff', 'client:carol');
    await listener.idle();
    expect(await record(first.transferId)).toMatchObject({ status: 'answered', outcome: null });
    fake.hangUp(first.aliceLeg);
    leave(first.aliceLeg, 'client:alice');
    await listener.idle();
    expect(await record(first.transferId)).toMatchObject({ status: 'returned-to-you', outcome: 'returned' });
    await left(first.aliceLeg);

    const second = await answeredConsult();
    fake.hangUp(bobLeg);
    await left(bobLeg);
    leave(bobLeg, 'client:bob');
    leave(bobLeg, 'client:bob');
    await listener.idle();
    expect(await record(second.transferId)).toMatchObject({ status: 'answered', outcome: 'completed' });
    expect(changes()).toEqual([{ name: 'setHold', conferenceSid, participant: customer, hold: false }]);
    expect(await atProvider()).toEqual([['customer', false], ['client:alice', false]]);
    listener.onModuleDestroy();
  });

  it('completes at once a consult answered after bob left while it rang', async () => {
    const { transferId } = await transfers.transfer('bob', bobLeg, consultAlice);
    const aliceLeg = await legOf('client:alice');
    fake.hangUp(bobLeg);
    await left(bobLeg);
    fake.answer(aliceLeg);
    await transfers.onLegStatus(transferId, aliceLeg, 'in-progress');
    expect(await record(transferId)).toMatchObject({ status: 'answered', outcome: 'completed' });
    expect(await atProvider()).toEqual([['customer', false], ['client:alice', false]]);
  });
});
