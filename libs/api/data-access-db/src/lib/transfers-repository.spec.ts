import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Database, rowsOf } from './database';
import { TransfersRepository, type NewTransfer } from './repositories';
import { SPEC_ENGINES, specDatabase } from './testing/spec-database';

describe.each(SPEC_ENGINES)('TransfersRepository (%s)', (engine) => {
  let database: Database;
  let repository: TransfersRepository;
  let n = 0;
  const cf = () => `CF${(++n).toString(16).padStart(32, '0')}`;
  const transfer = (conferenceSid: string, overrides: Partial<NewTransfer> = {}): NewTransfer => ({
    transferId: randomUUID(), conferenceSid, customerCallSid: `CA-customer-${conferenceSid}`, fromIdentity: 'bob', fromCallSid: `CA-bob-${conferenceSid}`,
    targetKind: 'agent', targetValue: 'alice', targetDisplay: 'Alice Able', mode: 'consult', expectedLegs: 1, capKey: null, ...overrides,
  });
  const created = async (conferenceSid: string, overrides: Partial<NewTransfer> = {}) => {
    const record = await repository.create(transfer(conferenceSid, overrides), 300);
    if (record === 'active-exists') throw new Error('expected a new transfer');
    return record;
  };

  specDatabase(engine, (opened) => {
    database = opened;
    repository = new TransfersRepository(database);
  });

  it('keeps one open transfer per conference: a ringing one, then a consult whose agents talk; a finished consult frees the call', async () => {
    const sid = cf();
    const consult = await created(sid);
    expect(consult).toMatchObject({ status: 'ringing-target', mode: 'consult', outcome: null, targetLegs: {} });
    expect(await repository.create(transfer(sid, { mode: 'cold' }), 300)).toBe('active-exists');

    await repository.update(consult.transferId, () => ({ status: 'answered', answeredCallSid: 'CA-alice', targetLegs: { 'CA-alice': 'in-progress' } }));
    expect(await repository.findRinging(sid)).toBeUndefined();
    expect(await repository.findOpen(sid, 300)).toMatchObject({ transferId: consult.transferId, status: 'answered', outcome: null });
    expect(await repository.create(transfer(sid, { mode: 'cold' }), 300)).toBe('active-exists');

    for (const outcome of ['completed', 'cancelled', 'three-way'] as const) {
      const changed = await repository.update(consult.transferId, () => ({ outcome }));
      expect(changed?.after.outcome).toBe(outcome);
    }
    expect(await repository.findOpen(sid, 300)).toBeUndefined();
    const next = await created(sid, { mode: 'cold' });
    expect(await repository.latest(sid)).toMatchObject({ transferId: next.transferId, mode: 'cold' });
  });

  it('does not count a ringing transfer older than the stale limit as open; the next create marks it failed', async () => {
    const sid = cf();
    const lost = await created(sid, { mode: 'cold' });
    await database.db.execute(sql`UPDATE transfers SET created_at = now() - interval '10 minutes' WHERE transfer_id = ${lost.transferId}`);
    expect(await repository.findOpen(sid, 300)).toBeUndefined();
    await created(sid);
    expect(await repository.find(lost.transferId)).toMatchObject({ status: 'failed', missReason: 'failed' });
  });

  it('applies a decision under the row lock, and a null decision changes nothing; unknown transfers answer undefined', async () => {
    const sid = cf();
    const ringing = await created(sid);
    const unchanged = await repository.update(ringing.transferId, () => null);
    expect(unchanged?.after).toBe(unchanged?.before);
    // Two concurrent decisions: each sees the other's result, so only one moves the transfer from ringing.
    const cancel = (current: { status: string }) => (current.status === 'ringing-target' ? { status: 'cancelled' as const, outcome: 'cancelled' as const } : null);
    const [a, b] = await Promise.all([repository.update(ringing.transferId, cancel), repository.update(ringing.transferId, cancel)]);
    expect([a, b].filter((change) => change?.before.status === 'ringing-target')).toHaveLength(1);
    expect(await repository.find(ringing.transferId)).toMatchObject({ status: 'cancelled', outcome: 'cancelled' });
    expect(await repository.update(randomUUID(), () => ({ status: 'failed' }))).toBeUndefined();
  });

  it('refuses an outcome outside the vocabulary (the CHECK constraint)', async () => {
    const sid = cf();
    const ringing = await created(sid);
    await expect(database.db.execute(sql`UPDATE transfers SET outcome = 'elsewhere' WHERE transfer_id = ${ringing.transferId}`)).rejects.toThrow();
    expect(rowsOf(await database.db.execute(sql`SELECT outcome FROM transfers WHERE transfer_id = ${ringing.transferId}`))).toEqual([{ outcome: null }]);
  });
});
