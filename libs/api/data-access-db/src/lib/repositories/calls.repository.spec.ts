import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { CallStartWriter, type CallStart } from '../call-start-writer';
import { Database } from '../database';
import { transferOutcome } from './call-handoffs.repository';
import { CallsRepository } from './calls.repository';
import { RescuesRepository } from './rescues.repository';
import { TransfersRepository, type NewTransfer } from './transfers.repository';
import { SPEC_ENGINES, specDatabase } from '../testing/spec-database';

describe.each(SPEC_ENGINES)('CallsRepository.pageForAgent with handoffs (%s)', (engine) => {
  let database: Database;
  let calls: CallsRepository;
  let starts: CallStartWriter;
  let transfers: TransfersRepository;
  let rescues: RescuesRepository;
  let n = 0;
  const sid = (prefix: 'CA' | 'CF') => `${prefix}${(++n).toString(16).padStart(32, '0')}`;
  const t0 = new Date('2026-12-06T08:00:00Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  const start = (overrides: Partial<CallStart>): CallStart => ({
    callSid: sid('CA'), direction: 'inbound', from: '+14155550100', to: '+14155550111', participants: [], voicemailTarget: 'group:support',
    status: 'ringing', at: t0, ...overrides,
  });
  /** A leg nobody started here (an agent's REST leg, a transfer's number leg): created by its status callback. */
  async function legOf(to: string, seconds: number): Promise<string> {
    const callSid = sid('CA');
    await calls.applyStatusEvent({
      callSid, callStatus: 'in-progress', sequenceNumber: '1', payload: {}, from: '+14155550111', to, direction: 'outbound', durationSeconds: null, at: at(seconds),
    });
    return callSid;
  }
  /** A conference is named after the call it was opened for (`sb-<CallSid>`), the customer's by default. */
  async function conference(
    anchor: string | null, legs: ReadonlyArray<{ callSid: string; label: string; identity: string | null }>, name = `sb-${anchor ?? 'x'}`,
  ): Promise<string> {
    const conferenceSid = `CF${randomBytes(16).toString('hex')}`;
    await database.db.execute(sql`INSERT INTO conferences (conference_sid, friendly_name, anchor_call_sid, status)
      VALUES (${conferenceSid}, ${name}, ${anchor}, 'in-progress')`);
    for (const [i, leg] of legs.entries()) {
      await database.db.execute(sql`INSERT INTO conference_participants (conference_sid, call_sid, label, agent_identity, joined_at, last_sequence)
        VALUES (${conferenceSid}, ${leg.callSid}, ${leg.label}, ${leg.identity}, ${at(i).toISOString()}, ${i + 1})`);
    }
    return conferenceSid;
  }
  const transfer = (conferenceSid: string, customerCallSid: string, overrides: Partial<NewTransfer>): NewTransfer => ({
    transferId: randomUUID(), conferenceSid, customerCallSid, fromIdentity: 'bob', fromCallSid: 'CA-bob-leg', targetKind: 'agent',
    targetValue: 'alice', targetDisplay: 'Alice (as stored)', mode: 'cold', expectedLegs: 1, capKey: null, ...overrides,
  });
  /** Creates a transfer, settles it, and dates it (created_at is the database's now() otherwise). */
  async function settledTransfer(record: NewTransfer, seconds: number, change: Parameters<TransfersRepository['update']>[1]): Promise<void> {
    const created = await transfers.create(record, 3600);
    if (created === 'active-exists') throw new Error('a transfer was already ringing');
    await transfers.update(created.transferId, change);
    await database.db.execute(sql`UPDATE transfers SET created_at = ${at(seconds).toISOString()} WHERE transfer_id = ${created.transferId}`);
  }

  specDatabase(engine, async (opened) => {
    database = opened;
    calls = new CallsRepository(database);
    starts = new CallStartWriter(database);
    transfers = new TransfersRepository(database);
    rescues = new RescuesRepository(database);
    await database.db.execute(sql`INSERT INTO agents (identity, display_name, role, password_hash) VALUES
      ('alice', 'Alice Smith', 'agent', 'h'), ('bob', 'Bob Brown', 'agent', 'h'), ('carol', 'Carol Chen', 'agent', 'h')
      ON CONFLICT (identity) DO NOTHING`);
  });

  it('shows a transferred, rescued customer call once, with its handoffs oldest first, to the agent who moved it and to the target who joined', async () => {
    const customer = start({ participants: ['bob'] });
    await starts.record(customer);
    const bobLeg = await legOf('client:bob', 1);
    const aliceLeg = await legOf('client:alice', 30);
    // The rejoin leg bob's softphone placed: recorded by the outgoing webhook with bob as its participant.
    const rejoin = start({ direction: 'outbound', from: 'client:bob', to: 'sb-conference', participants: ['bob'], voicemailTarget: null, status: 'initiated', at: at(50) });
    await starts.record(rejoin);
    const numberLeg = await legOf('+14155550199', 10);
    const conferenceSid = await conference(customer.callSid, [
      { callSid: customer.callSid, label: 'customer', identity: null },
      { callSid: bobLeg, label: 'client:bob', identity: 'bob' },
      { callSid: numberLeg, label: 'transfer-target', identity: null },
      { callSid: aliceLeg, label: 'client:alice', identity: 'alice' },
      { callSid: rejoin.callSid, label: 'client:bob', identity: 'bob' },
    ]);
    await settledTransfer(transfer(conferenceSid, customer.callSid, { targetKind: 'number', targetValue: '+14155550199', targetDisplay: '+14155550199' }), 10,
      () => ({ status: 'returned-to-you', missReason: 'no-answer', outcome: 'returned' }));
    await settledTransfer(transfer(conferenceSid, customer.callSid, { mode: 'consult' }), 30, () => ({ status: 'answered', outcome: 'transferred' }));
    const rescue = await rescues.open({
      rescueId: randomUUID(), conferenceSid, customerCallSid: customer.callSid, identity: 'alice', droppedCallSid: aliceLeg,
      customerDisplay: '+1415•••0100', openedAt: at(40), expiresAt: at(100),
    });
    expect(rescue).not.toBe('exists');
    await rescues.markRejoined(conferenceSid, 'alice', at(50));

    const expected = [{
      callSid: customer.callSid, direction: 'inbound', from: '+14155550100',
      handoffs: [
        { kind: 'transfer', byDisplay: 'Bob Brown', targetDisplay: '+14155550199', outcome: 'no-answer', at: at(10).toISOString() },
        { kind: 'consult', byDisplay: 'Bob Brown', targetDisplay: 'Alice Smith', outcome: 'transferred', at: at(30).toISOString() },
        { kind: 'rescue', byDisplay: 'Alice Smith', outcome: 'rejoined', at: at(40).toISOString() },
      ],
    }];
    for (const identity of ['bob', 'alice']) {
      const page = await calls.pageForAgent(identity, 1, 20);
      expect({ identity, ...page }).toMatchObject({ identity, total: 1, items: expected });
      expect(page.items).toHaveLength(1);
    }
    expect(await calls.pageForAgent('carol', 1, 20)).toEqual({ items: [], total: 0 });
    // Each leg is still a call record of its own; history just never shows it as one.
    expect(await calls.findBySid(rejoin.callSid)).toMatchObject({ handoffs: [] });
  });

  it('keeps the customer call of a conference whose anchor is not known yet, and hides only the agents\' legs in it', async () => {
    const customer = start({ participants: ['carol'], at: at(200) });
    await starts.record(customer);
    const carolLeg = start({ direction: 'outbound', from: 'client:carol', to: 'sb-x', participants: ['carol'], voicemailTarget: null, status: 'initiated', at: at(201) });
    await starts.record(carolLeg);
    await conference(null, [
      { callSid: customer.callSid, label: 'customer', identity: null },
      { callSid: carolLeg.callSid, label: 'client:carol', identity: 'carol' },
    ]);
    const page = await calls.pageForAgent('carol', 1, 20);
    expect(page.items.map((c) => c.callSid)).toEqual([customer.callSid]);
    expect(page).toMatchObject({ total: 1, items: [{ handoffs: [] }] });
  });

  it('shows an agent\'s anchored phone call as their own call (not the number\'s leg), to a consulted agent too, with its handoffs', async () => {
    const bobCall = start({ direction: 'outbound', from: 'client:bob', to: '+14155550123', participants: ['bob'], voicemailTarget: null, status: 'initiated', at: at(250) });
    await starts.record(bobCall);
    const numberLeg = await legOf('+14155550123', 251);
    const aliceLeg = await legOf('client:alice', 260);
    const conferenceSid = await conference(numberLeg, [
      { callSid: bobCall.callSid, label: 'client:bob', identity: 'bob' },
      { callSid: numberLeg, label: 'customer', identity: null },
      { callSid: aliceLeg, label: 'client:alice', identity: 'alice' },
    ], `sb-${bobCall.callSid}`);
    await settledTransfer(transfer(conferenceSid, numberLeg, { mode: 'consult' }), 255, () => ({ status: 'answered', outcome: 'transferred' }));
    for (const identity of ['bob', 'alice']) {
      const page = await calls.pageForAgent(identity, 1, 1);
      expect({ identity, callSid: page.items[0]?.callSid, handoffs: page.items[0]?.handoffs }).toEqual({
        identity, callSid: bobCall.callSid,
        handoffs: [{ kind: 'consult', byDisplay: 'Bob Brown', targetDisplay: 'Alice Smith', outcome: 'transferred', at: at(255).toISOString() }],
      });
      expect((await calls.pageForAgent(identity, 1, 100)).items.map((c) => c.callSid)).not.toContain(numberLeg);
    }
  });

  it('names agents from the directory as it is now, keeps a removed agent\'s identity and a ring group as stored', async () => {
    const customer = start({ participants: ['carol'], at: at(300) });
    await starts.record(customer);
    const conferenceSid = await conference(customer.callSid, [{ callSid: customer.callSid, label: 'customer', identity: null }]);
    await settledTransfer(transfer(conferenceSid, customer.callSid, { fromIdentity: 'gone', targetKind: 'ring-group', targetValue: 'sales', targetDisplay: 'sales' }), 301,
      (current) => ({ status: 'answered', outcome: 'transferred', targetLegs: current.targetLegs }));
    await settledTransfer(transfer(conferenceSid, customer.callSid, { fromIdentity: 'carol', targetValue: 'nobody', targetDisplay: 'Nobody (as stored)' }), 302,
      () => null);
    const [call] = (await calls.pageForAgent('carol', 1, 1)).items;
    expect(call.callSid).toBe(customer.callSid);
    expect(call.handoffs).toEqual([
      { kind: 'transfer', byDisplay: 'gone', targetDisplay: 'sales', outcome: 'transferred', at: at(301).toISOString() },
      { kind: 'transfer', byDisplay: 'Carol Chen', targetDisplay: 'Nobody (as stored)', outcome: 'ringing', at: at(302).toISOString() },
    ]);
  });

  it('reads the handoffs, ring outcomes, dispositions and quality badges of a whole page in one statement each, however many calls it has', async () => {
    for (let i = 0; i < 3; i++) await starts.record(start({ participants: ['dave'], at: at(400 + i) }));
    const execute = jest.spyOn(database.db, 'execute');
    try {
      const page = await calls.pageForAgent('dave', 1, 20);
      expect(page.total).toBe(3);
      expect(page.items.map((c) => c.startedAt)).toEqual([at(402), at(401), at(400)].map((d) => d.toISOString()));
      expect(execute).toHaveBeenCalledTimes(4);
    } finally {
      execute.mockRestore();
    }
  });
});

describe('transferOutcome', () => {
  it('says why a call came back, else the decided outcome, else the miss reason or the status', () => {
    expect(transferOutcome({ status: 'returned-to-you', outcome: 'returned', miss_reason: 'declined' })).toBe('declined');
    expect(transferOutcome({ status: 'returned-to-you', outcome: 'returned', miss_reason: null })).toBe('returned');
    expect(transferOutcome({ status: 'no-answer', outcome: 'voicemail', miss_reason: 'no-answer' })).toBe('voicemail');
    expect(transferOutcome({ status: 'answered', outcome: 'three-way', miss_reason: null })).toBe('three-way');
    expect(transferOutcome({ status: 'busy', outcome: null, miss_reason: 'busy' })).toBe('busy');
    expect(transferOutcome({ status: 'ringing-target', outcome: null, miss_reason: null })).toBe('ringing');
    expect(transferOutcome({ status: 'cancelled', outcome: null, miss_reason: null })).toBe('cancelled');
  });
});
