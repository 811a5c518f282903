import { sql } from 'drizzle-orm';
import { Database, rowsOf } from '../database';
import { CallsRepository, type StatusEvent } from './calls.repository';
import { SPEC_ENGINES, specDatabase } from '../testing/spec-database';

/** applyStatusEvent is one statement on the driver (APPLY_STATUS_EVENT_SQL): what each of its clauses must keep doing. */
describe.each(SPEC_ENGINES)('CallsRepository.applyStatusEvent (%s)', (engine) => {
  let database: Database;
  let calls: CallsRepository;
  let n = 0;
  const t0 = Date.UTC(2026, 11, 6, 9, 0, 0);
  const newSid = () => `CA${(++n).toString(16).padStart(32, '0')}`;
  const event = (callSid: string, callStatus: string, seconds: number, overrides: Partial<StatusEvent> = {}): StatusEvent => ({
    callSid, callStatus, sequenceNumber: String(seconds), payload: { CallStatus: callStatus, Note: "o'brien" }, from: '+14155550100', to: 'client:alice',
    direction: 'outbound', durationSeconds: 42, at: new Date(t0 + seconds * 1000), ...overrides,
  });
  const callRow = async (callSid: string) => rowsOf(await database.db.execute(sql`
    SELECT status, status_rank, duration_seconds, from_number, to_number, direction, started_at::text, ended_at::text FROM calls WHERE call_sid = ${callSid}`))[0];
  const eventCount = async (callSid: string) => (rowsOf(await database.db.execute(sql`
    SELECT count(*)::int AS n FROM call_events WHERE call_sid = ${callSid} AND payload->>'Note' = 'o''brien'`))[0] as { n: number }).n;

  specDatabase(engine, (opened) => {
    database = opened;
    calls = new CallsRepository(database);
  });

  it('stores each event once and moves the call forward only, whatever the order', async () => {
    const callSid = newSid();
    expect(await calls.applyStatusEvent(event(callSid, 'ringing', 1, { from: null, to: null }))).toBe('stored');
    expect(await callRow(callSid)).toEqual({
      status: 'ringing', status_rank: expect.any(Number), duration_seconds: null, from_number: '', to_number: '', direction: 'outbound',
      started_at: '2026-12-06 09:00:01+00', ended_at: null,
    });
    expect(await calls.applyStatusEvent(event(callSid, 'ringing', 1))).toBe('duplicate');
    expect(await calls.applyStatusEvent(event(callSid, 'completed', 30))).toBe('stored');
    // Late and lower: stored as an event, but the call keeps its terminal status; the empty numbers are filled, the earlier start kept.
    expect(await calls.applyStatusEvent(event(callSid, 'in-progress', 0, { direction: 'inbound' }))).toBe('stored');
    expect(await callRow(callSid)).toEqual({
      status: 'completed', status_rank: expect.any(Number), duration_seconds: 42, from_number: '+14155550100', to_number: 'client:alice',
      direction: 'outbound', started_at: '2026-12-06 09:00:00+00', ended_at: '2026-12-06 09:00:30+00',
    });
    expect(await eventCount(callSid)).toBe(3);
  });

  it('only a terminal status sets the duration and end', async () => {
    const callSid = newSid();
    await calls.applyStatusEvent(event(callSid, 'in-progress', 5));
    expect(await callRow(callSid)).toMatchObject({ status: 'in-progress', duration_seconds: null, ended_at: null });
  });

  it('stores an unknown status and a line test leg as events without making a call', async () => {
    const unknown = newSid();
    expect(await calls.applyStatusEvent(event(unknown, 'queued-somewhere', 1))).toBe('stored');
    expect(await callRow(unknown)).toBeUndefined();
    expect(await eventCount(unknown)).toBe(1);

    const lineTest = newSid();
    await calls.markLineTest(lineTest);
    expect(await calls.applyStatusEvent(event(lineTest, 'completed', 9))).toBe('stored');
    expect(await calls.applyStatusEvent(event(lineTest, 'completed', 9))).toBe('duplicate');
    expect(await callRow(lineTest)).toBeUndefined();
    expect(await eventCount(lineTest)).toBe(1);
  });
});
