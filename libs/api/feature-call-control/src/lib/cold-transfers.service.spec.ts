import { randomBytes } from 'node:crypto';
import { HttpStatus } from '@nestjs/common';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import {
  AgentsRepository, CallsRepository, ConferencesRepository, Database, OutboundCallCaps, rowsOf, RoutingRepository, TransfersRepository,
} from '@switchboard/api-data-access-db';
import { CallProgressEvents } from '@switchboard/api-data-access-telephony';
import { FakeConferenceCommands } from '@switchboard/api-data-access-telephony/testing';
import type { LiveEventPublisher } from '@switchboard/api-data-access-live-events';
import { WEBHOOK_ROUTES, type CallTransferEvent, type TransferRequest } from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';
import { CallAnchors } from './call-anchors';
import { CallControl } from './call-control.service';
import { ColdTransfers, TRANSFER_STATUS_ROUTE } from './cold-transfers.service';
import { ConsultTransfers } from './consult-transfers.service';
import { TransferJoinListener } from './transfer-join-listener';
import { TransferMoves } from './transfer-moves';
import { TransferTargets } from './transfer-targets';
import { TransferUpdates } from './transfer-updates';
import { anchoredCustomerWithBob, callControlRefusal, closeTestDatabase, ENGINES, openTestDatabase } from './testing/call-control-fixtures';

/** Cold transfer on the real repositories with FakeConferenceCommands; leg callbacks are fed to onLegStatus as the webhook does. */
describe.each(ENGINES)('ColdTransfers (%s)', (engine) => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let database: Database;
  let fake: FakeConferenceCommands;
  let transfers: ColdTransfers;
  let consults: ConsultTransfers;
  /** The `call.transfer` events published, with their audience. */
  let published: Array<{ type: string; data: CallTransferEvent; agents: readonly string[] | undefined }>;
  let conferenceSid: string;
  let customer: string;
  let bobLeg: string;
  const toAlice: TransferRequest = { target: { kind: 'agent', identity: 'alice' }, mode: 'cold' };

  const build = (env: Record<string, string> = {}) => {
    const config = loadAppConfig(env);
    const conferences = new ConferencesRepository(database);
    const agents = new AgentsRepository(database);
    const control = new CallControl(new CallAnchors(database), conferences, new CallsRepository(database), agents, fake, config);
    const targets = new TransferTargets(agents, new RoutingRepository(database), new OutboundCallCaps(database), config);
    const repository = new TransfersRepository(database);
    const publisher = {
      publish: async (type: string, data: CallTransferEvent, audience: { agents?: readonly string[] }) => { published.push({ type, data, agents: audience.agents }); },
    } as unknown as LiveEventPublisher;
    const updates = new TransferUpdates(repository, publisher);
    const moves = new TransferMoves(fake);
    consults = new ConsultTransfers(control, repository, updates, moves, targets, conferences);
    return new ColdTransfers(control, targets, repository, updates, moves, consults, conferences, new CallsRepository(database), fake, config);
  };
  const refusal = (promise: Promise<unknown>) => callControlRefusal(promise, { withReason: true });
  const record = async (transferId: string) => {
    const [row] = rowsOf(await database.db.execute(sql`SELECT status, miss_reason, outcome, answered_call_sid FROM transfers WHERE transfer_id = ${transferId}`));
    return row;
  };
  const dialled = () => fake.received.flatMap((c) => (c.name === 'addParticipant' ? [c.command] : []));
  const legOf = async (to: string) => (await fake.listParticipants(conferenceSid)).find((p) => p.label === to)?.callSid as string;
  const inConference = async () => (await fake.listParticipants(conferenceSid)).map((p) => p.callSid);
  const commandsAfterDial = () => fake.received.filter((c) => !['addParticipant', 'listParticipants'].includes(c.name) && !(c.name === 'setHold' && c.hold));

  beforeAll(async () => {
    database = await openTestDatabase(engine, schema);
    const agents = new AgentsRepository(database);
    for (const [identity, displayName, enabled] of [['bob', 'Bob Builder', true], ['alice', 'Alice Able', true], ['carol', 'Carol Cole', true], ['dave', 'Dave Gone', false]] as const) {
      await agents.insert({ identity, displayName, role: 'agent', passwordHash: 'x', enabled });
    }
    const routing = new RoutingRepository(database);
    for (const member of ['alice', 'bob', 'carol', 'dave']) await routing.addGroupMember('support', member);
  }, 120_000);
  afterAll(() => closeTestDatabase(engine, schema, database));

  // A customer anchored in a conference, bob's softphone leg in it, as the callbacks recorded them.
  beforeEach(async () => {
    await database.db.execute(sql`TRUNCATE conferences, conference_participants, conference_events, calls, call_participants, transfers,
      outbound_call_grants, outbound_call_refusals`);
    fake = new FakeConferenceCommands();
    ({ customer, conferenceSid, bobLeg } = await anchoredCustomerWithBob(database, fake));
    await database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, voicemail_target, status, status_rank, started_at)
      VALUES (${customer}, 'inbound', '+14155550123', '+14155550100', 'group:support', 'in-progress', 3, now())`);
    fake.received.length = 0;
    published = [];
    transfers = build();
  });

  it('rings the agent in the same conference with the customer held; the answer removes bob and resumes the customer; repeats change nothing', async () => {
    const answer = await transfers.transfer('bob', bobLeg, toAlice);
    expect(answer).toEqual({ callSid: bobLeg, transferId: expect.any(String), mode: 'cold', status: 'ringing-target', targetDisplay: 'Alice Able' });
    expect(fake.received[0]).toEqual({ name: 'setHold', conferenceSid, participant: customer, hold: true });
    expect(dialled()).toEqual([{
      conference: { sid: conferenceSid }, to: 'client:alice', from: '+14155550123', label: 'client:alice', timeoutSeconds: 20,
      startConferenceOnEnter: true, endConferenceOnExit: false, beep: false,
      callStatusCallback: { path: TRANSFER_STATUS_ROUTE, query: { transfer: answer.transferId } },
      conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus }, conferenceEvents: ['start', 'end', 'join', 'leave', 'hold', 'mute'],
    }]);
    const aliceLeg = await legOf('client:alice');
    await transfers.onLegStatus(answer.transferId, aliceLeg, 'ringing');
    expect(await record(answer.transferId)).toMatchObject({ status: 'ringing-target' });
    expect(commandsAfterDial()).toEqual([]);

    fake.answer(aliceLeg);
    await transfers.onLegStatus(answer.transferId, aliceLeg, 'in-progress');
    expect(await record(answer.transferId)).toEqual({ status: 'answered', miss_reason: null, outcome: 'transferred', answered_call_sid: aliceLeg });
    expect(commandsAfterDial()).toEqual([
      { name: 'removeParticipant', conferenceSid, participant: bobLeg },
      { name: 'setHold', conferenceSid, participant: customer, hold: false },
    ]);
    expect(await inConference()).toEqual([customer, aliceLeg]);

    // The same callback again, and an older one arriving late: nothing more is done.
    const before = fake.received.length;
    await transfers.onLegStatus(answer.transferId, aliceLeg, 'in-progress');
    await transfers.onLegStatus(answer.transferId, aliceLeg, 'ringing');
    await transfers.onLegStatus(answer.transferId, aliceLeg, 'completed');
    expect(fake.received.length).toBe(before);
    expect(await record(answer.transferId)).toMatchObject({ status: 'answered' });
    // bob was told of each status once, addressed by his own leg; the duplicates told nothing.
    expect(published).toEqual(['ringing-target', 'answered'].map((status) => ({
      type: 'call.transfer', agents: ['bob'],
      data: { callSid: bobLeg, transferId: answer.transferId, mode: 'cold', status, targetDisplay: 'Alice Able' },
    })));
  });

  it('brings the customer back to bob when nobody answers, with the reason; a declined agent reads as declined', async () => {
    const first = await transfers.transfer('bob', bobLeg, toAlice);
    const aliceLeg = await legOf('client:alice');
    await transfers.onLegStatus(first.transferId, aliceLeg, 'no-answer');
    expect(await record(first.transferId)).toEqual({ status: 'returned-to-you', miss_reason: 'no-answer', outcome: 'returned', answered_call_sid: null });
    expect(commandsAfterDial()).toEqual([{ name: 'setHold', conferenceSid, participant: customer, hold: false }]);
    expect(await inConference()).toContain(bobLeg);

    // A new transfer is allowed once the first came back; Twilio reports a softphone that declined as busy.
    fake.hangUp(aliceLeg, 'no-answer');
    const second = await transfers.transfer('bob', bobLeg, toAlice);
    await transfers.onLegStatus(second.transferId, await legOf('client:alice'), 'busy');
    expect(await record(second.transferId)).toMatchObject({ status: 'returned-to-you', miss_reason: 'declined' });
    // bob is told why, not only that the caller is back: the event's status is the reason.
    expect(published.map((event) => [event.data.transferId, event.data.status])).toEqual([
      [first.transferId, 'ringing-target'], [first.transferId, 'no-answer'], [second.transferId, 'ringing-target'], [second.transferId, 'declined'],
    ]);
    expect(published[3]).toEqual({
      type: 'call.transfer', agents: ['bob'],
      data: { callSid: bobLeg, transferId: second.transferId, mode: 'cold', status: 'declined', targetDisplay: 'Alice Able' },
    });
  });

  it('tells bob a transfer failed: a target leg that fails, and a dial the provider refuses (the HTTP answer says so too)', async () => {
    const first = await transfers.transfer('bob', bobLeg, toAlice);
    const aliceLeg = await legOf('client:alice');
    await transfers.onLegStatus(first.transferId, aliceLeg, 'failed');
    expect(await record(first.transferId)).toMatchObject({ status: 'returned-to-you', miss_reason: 'failed' });
    fake.hangUp(aliceLeg, 'failed');

    // A leg still labelled client:alice at the provider makes it refuse the next dial: nothing rings, the caller is back at once.
    await fake.addParticipant({ ...dialled()[0], label: 'client:alice' });
    const second = await transfers.transfer('bob', bobLeg, toAlice);
    expect(second).toEqual({ callSid: bobLeg, transferId: expect.any(String), mode: 'cold', status: 'failed', targetDisplay: 'Alice Able' });
    expect(await record(second.transferId)).toMatchObject({ status: 'returned-to-you', miss_reason: 'failed' });
    expect(published.map((event) => [event.data.transferId, event.data.status])).toEqual([
      [first.transferId, 'ringing-target'], [first.transferId, 'failed'], [second.transferId, 'ringing-target'], [second.transferId, 'failed'],
    ]);
  });

  it('rings every available ring-group member but the transferring agent; the first answer wins, the others are cancelled or removed', async () => {
    const answer = await transfers.transfer('bob', bobLeg, { target: { kind: 'ring-group', id: 'support' }, mode: 'cold' });
    expect(answer.targetDisplay).toBe('support');
    expect(dialled().map((d) => d.to)).toEqual(['client:alice', 'client:carol']);
    const [aliceLeg, carolLeg] = [await legOf('client:alice'), await legOf('client:carol')];
    // One member's no-answer alone does not end the transfer while another still rings.
    await transfers.onLegStatus(answer.transferId, aliceLeg, 'no-answer');
    expect(await record(answer.transferId)).toMatchObject({ status: 'ringing-target' });
    fake.answer(carolLeg);
    await transfers.onLegStatus(answer.transferId, carolLeg, 'in-progress');
    expect(await record(answer.transferId)).toMatchObject({ status: 'answered', answered_call_sid: carolLeg });
    expect(commandsAfterDial().map((c) => c.name)).toEqual(['removeParticipant', 'setHold']);
  });

  it('removes a second group member who answers after the first, and cancels members still ringing', async () => {
    const answer = await transfers.transfer('bob', bobLeg, { target: { kind: 'ring-group', id: 'support' }, mode: 'cold' });
    const [aliceLeg, carolLeg] = [await legOf('client:alice'), await legOf('client:carol')];
    fake.answer(aliceLeg);
    await transfers.onLegStatus(answer.transferId, aliceLeg, 'in-progress');
    expect(fake.received).toContainEqual({ name: 'endCall', callSid: carolLeg, mode: 'cancel-if-not-answered' });
    expect(await inConference()).toEqual([customer, aliceLeg]);
    // Carol's answer crossed the cancel: she is taken out again, once.
    fake.received.length = 0;
    await transfers.onLegStatus(answer.transferId, carolLeg, 'in-progress');
    await transfers.onLegStatus(answer.transferId, carolLeg, 'in-progress');
    expect(fake.received.filter((c) => c.name === 'removeParticipant')).toEqual([{ name: 'removeParticipant', conferenceSid, participant: carolLeg }]);
    expect(await record(answer.transferId)).toMatchObject({ status: 'answered', answered_call_sid: aliceLeg });
  });

  it("sends the customer to the routed target's voicemail when nobody answers and bob has left meanwhile", async () => {
    const answer = await transfers.transfer('bob', bobLeg, toAlice);
    const aliceLeg = await legOf('client:alice');
    fake.hangUp(bobLeg);
    await database.db.execute(sql`UPDATE conference_participants SET left_at = now() WHERE call_sid = ${bobLeg}`);
    await transfers.onLegStatus(answer.transferId, aliceLeg, 'no-answer');
    expect(await record(answer.transferId)).toEqual({ status: 'no-answer', miss_reason: 'no-answer', outcome: 'voicemail', answered_call_sid: null });
    expect(commandsAfterDial()).toEqual([{ name: 'redirectCall', callSid: customer, twiml: { path: WEBHOOK_ROUTES.dialComplete } }]);
    // bob (gone) was told the reason once; the move to voicemail changes nothing he reads.
    expect(published.map((event) => event.data.status)).toEqual(['ringing-target', 'no-answer']);
  });

  it('dials an allowed number with our caller ID under the caps, counted against bob until its leg ends', async () => {
    const answer = await transfers.transfer('bob', bobLeg, { target: { kind: 'number', number: '+14155550111' }, mode: 'cold' });
    // Capped like an agent's own phone call (Twilio's TimeLimit); agent legs (above) carry no limit.
    const { callTimeLimitSeconds } = loadAppConfig({}).outboundLimits;
    expect(dialled()).toEqual([expect.objectContaining({ to: '+14155550111', from: '+14155550199', label: 'transfer-target', timeLimitSeconds: callTimeLimitSeconds })]);
    const grants = async () => rowsOf(await database.db.execute(sql`SELECT call_sid, agent_identity, to_number, ended_at IS NOT NULL AS ended FROM outbound_call_grants`));
    expect(await grants()).toEqual([{ call_sid: `transfer:${answer.transferId}`, agent_identity: 'bob', to_number: '+14155550111', ended: false }]);
    await transfers.onLegStatus(answer.transferId, await legOf('transfer-target'), 'no-answer');
    expect(await grants()).toEqual([expect.objectContaining({ ended: true })]);
    expect(await record(answer.transferId)).toMatchObject({ status: 'returned-to-you', miss_reason: 'no-answer' });
  });

  it('refuses a number the policy blocks (422) or a cap refuses (429), audited with the existing reasons, nothing dialled or held', async () => {
    expect(await refusal(transfers.transfer('bob', bobLeg, { target: { kind: 'number', number: '+19005550100' }, mode: 'cold' })))
      .toEqual({ status: HttpStatus.UNPROCESSABLE_ENTITY, code: 'number-refused', reason: 'blocked-prefix' });
    // bob already has a phone call going: the active-call cap (1) refuses the next.
    await database.db.execute(sql`INSERT INTO outbound_call_grants (call_sid, agent_identity, to_number, granted_at) VALUES ('CAother', 'bob', '+14155550111', now())`);
    expect(await refusal(transfers.transfer('bob', bobLeg, { target: { kind: 'number', number: '+14155550111' }, mode: 'cold' })))
      .toEqual({ status: HttpStatus.TOO_MANY_REQUESTS, code: 'call-cap', reason: 'active-call' });
    const audit = rowsOf(await database.db.execute(sql`SELECT agent_identity, to_number, reason FROM outbound_call_refusals ORDER BY id`));
    expect(audit).toEqual([
      { agent_identity: 'bob', to_number: '+19005550100', reason: 'blocked-prefix' },
      { agent_identity: 'bob', to_number: '+14155550111', reason: 'active-call' },
    ]);
    expect(fake.received).toEqual([]);
    expect(rowsOf(await database.db.execute(sql`SELECT 1 FROM transfers`))).toEqual([]);
  });

  it('answers 409 to a second transfer while one rings, and to an unavailable agent or group; nothing dialled', async () => {
    await transfers.transfer('bob', bobLeg, toAlice);
    fake.received.length = 0;
    expect(await refusal(transfers.transfer('bob', bobLeg, { target: { kind: 'agent', identity: 'carol' }, mode: 'cold' })))
      .toEqual({ status: HttpStatus.CONFLICT, code: 'target-unavailable', reason: undefined });
    await database.db.execute(sql`UPDATE transfers SET status = 'returned-to-you'`);
    for (const target of [{ kind: 'agent', identity: 'bob' }, { kind: 'agent', identity: 'dave' }, { kind: 'agent', identity: 'nobody' }, { kind: 'ring-group', id: 'nobody' }] as const) {
      expect(await refusal(transfers.transfer('bob', bobLeg, { target, mode: 'cold' }))).toEqual({ status: HttpStatus.CONFLICT, code: 'target-unavailable', reason: undefined });
    }
    expect(fake.received).toEqual([]);
  });

  it("answers the transfer on the target's participant-join or its in-progress, whichever comes first; the other changes nothing", async () => {
    const progress = new CallProgressEvents();
    const listener = new TransferJoinListener(new TransfersRepository(database), transfers, consults, progress);
    listener.onModuleInit();
    const join = (callSid: string, label: string) => progress.publish({ kind: 'conference', conferenceSid, friendlyName: 'room', event: 'participant-join', callSid, label });
    const removals = () => fake.received.filter((c) => c.name === 'removeParticipant');

    // Join first: bob and the customer joining (again) are not the target and change nothing.
    const first = await transfers.transfer('bob', bobLeg, toAlice);
    const aliceLeg = await legOf('client:alice');
    join(bobLeg, 'client:bob');
    join(customer, 'customer');
    await listener.idle();
    expect(await record(first.transferId)).toMatchObject({ status: 'ringing-target' });
    fake.answer(aliceLeg);
    join(aliceLeg, 'client:alice');
    await listener.idle();
    expect(await record(first.transferId)).toMatchObject({ status: 'answered', answered_call_sid: aliceLeg });
    await transfers.onLegStatus(first.transferId, aliceLeg, 'in-progress');
    expect(removals()).toEqual([{ name: 'removeParticipant', conferenceSid, participant: bobLeg }]);
    listener.onModuleDestroy();
  });

  it('applies a join after the in-progress as nothing new, and a number leg known only by its label', async () => {
    const progress = new CallProgressEvents();
    const listener = new TransferJoinListener(new TransfersRepository(database), transfers, consults, progress);
    listener.onModuleInit();
    const answer = await transfers.transfer('bob', bobLeg, { target: { kind: 'number', number: '+14155550111' }, mode: 'cold' });
    const numberLeg = await legOf('transfer-target');
    // As if the join were stored before the dial's CallSid was: recognised by the label it was dialled with.
    await database.db.execute(sql`UPDATE transfers SET target_legs = '{}'::jsonb WHERE transfer_id = ${answer.transferId}`);
    fake.answer(numberLeg);
    progress.publish({ kind: 'conference', conferenceSid, friendlyName: 'room', event: 'participant-join', callSid: numberLeg, label: 'transfer-target' });
    await listener.idle();
    expect(await record(answer.transferId)).toMatchObject({ status: 'answered', answered_call_sid: numberLeg });
    const before = fake.received.length;
    await transfers.onLegStatus(answer.transferId, numberLeg, 'in-progress');
    progress.publish({ kind: 'conference', conferenceSid, friendlyName: 'room', event: 'participant-join', callSid: numberLeg, label: 'transfer-target' });
    await listener.idle();
    expect(fake.received.length).toBe(before);
    listener.onModuleDestroy();
  });

  it('marks a ringing transfer whose callbacks were lost failed once past the ring timeout, so the call can be transferred again', async () => {
    const lost = await transfers.transfer('bob', bobLeg, toAlice);
    await database.db.execute(sql`UPDATE transfers SET created_at = now() - interval '10 minutes' WHERE transfer_id = ${lost.transferId}`);
    const next = await transfers.transfer('bob', bobLeg, { target: { kind: 'agent', identity: 'carol' }, mode: 'cold' });
    expect(next.status).toBe('ringing-target');
    expect(await record(lost.transferId)).toMatchObject({ status: 'failed', miss_reason: 'failed' });
  });

  it('answers 404 to an agent not in the call, and changes nothing', async () => {
    expect(await refusal(transfers.transfer('alice', bobLeg, { target: { kind: 'agent', identity: 'carol' }, mode: 'cold' })))
      .toEqual({ status: HttpStatus.NOT_FOUND, code: 'not-a-participant', reason: undefined });
    expect(fake.received).toEqual([]);
  });
});
