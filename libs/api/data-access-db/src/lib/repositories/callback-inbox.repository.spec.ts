import { sql } from 'drizzle-orm';
import { Database, rowsOf } from '../database';
import { CallbackInboxRepository, type ReceivedCallback } from './callback-inbox.repository';
import { SPEC_ENGINES, specDatabase } from '../testing/spec-database';

/**
 * receive and markProcessed run on the driver (runStatement), not through drizzle: the rows they read are
 * mapped by hand, so both drivers' answers (pg's int8 as a string, booleans, jsonb parameters) are pinned here.
 */
describe.each(SPEC_ENGINES)('CallbackInboxRepository (%s)', (engine) => {
  let database: Database;
  let inbox: CallbackInboxRepository;
  let n = 0;
  const callback = (overrides: Partial<ReceivedCallback> = {}): ReceivedCallback => ({
    kind: 'status', deliveryKey: `status:CA${(++n).toString(16).padStart(32, '0')}:ringing:1`, idempotencyToken: null,
    params: { CallStatus: 'ringing', Note: "o'brien \"quoted\" ü" }, query: { leg: 'x' }, ...overrides,
  });

  specDatabase(engine, (opened) => {
    database = opened;
    inbox = new CallbackInboxRepository(database);
  });

  it('stores a delivery once: a retry gets the same numeric id, and says whether the first was processed', async () => {
    const first = callback({ idempotencyToken: 'token-1' });
    const stored = await inbox.receive(first);
    expect(stored).toEqual({ id: expect.any(Number), alreadyProcessed: false });
    expect(await inbox.receive({ ...first, idempotencyToken: 'token-2' })).toEqual({ id: stored.id, alreadyProcessed: false });
    await inbox.markProcessed(stored.id);
    expect(await inbox.receive(first)).toEqual({ id: stored.id, alreadyProcessed: true });
    const other = await inbox.receive(callback());
    expect(other.id).toBeGreaterThan(stored.id);
    expect(await inbox.countPending()).toBe(1);
  });

  it('stores the parameters as jsonb objects (not JSON strings) and keeps the first token', async () => {
    const received = callback({ idempotencyToken: 'first' });
    const { id } = await inbox.receive(received);
    await inbox.receive({ ...received, idempotencyToken: 'second' });
    const [row] = rowsOf(await database.db.execute(sql`
      SELECT jsonb_typeof(params) AS params_type, params->>'Note' AS note, query->>'leg' AS leg, idempotency_token, processed_at
      FROM callback_inbox WHERE id = ${id}`));
    expect(row).toEqual({ params_type: 'object', note: "o'brien \"quoted\" ü", leg: 'x', idempotency_token: 'first', processed_at: null });
  });

  it('markProcessed clears the last error of a row that failed before', async () => {
    const { id } = await inbox.receive(callback());
    await inbox.markFailed(id, 'boom');
    await inbox.markProcessed(id);
    const [row] = rowsOf(await database.db.execute(sql`SELECT attempts, last_error, processed_at IS NOT NULL AS done FROM callback_inbox WHERE id = ${id}`));
    expect(row).toEqual({ attempts: 1, last_error: null, done: true });
  });
});
