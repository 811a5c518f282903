import { loadAppConfig, type AppConfig } from '@switchboard/api-data-access-config';
import { AvailabilityRepository, Database } from '@switchboard/api-data-access-db';
import { InProcessEventBus, LiveEventPublisher, type BusMessage, type EventBus } from '@switchboard/api-data-access-live-events';
import { FieldException } from '@switchboard/api-http-boundary';
import { ConflictException } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { AgentAvailabilityService, type AvailabilityChoice } from './availability.service';

/** The service on the embedded engine with the real repository and publisher, on an in-process bus that records what it carries. */
describe('AgentAvailabilityService (PGlite)', () => {
  let database: Database;
  let repository: AvailabilityRepository;
  let messages: BusMessage[];
  // The past: the routes' own changes are stamped with the real clock, and history orders by time.
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000 - 86_400_000);
  const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
  let n = 0;
  /** Each test its own agent, so tests do not depend on one another's state. */
  const agent = () => `agent${++n}`;

  beforeAll(async () => {
    database = await Database.open({ url: null, dataDir: 'memory://' });
    await database.migrate();
    repository = new AvailabilityRepository(database);
  }, 120_000); // a hang guard only: the embedded engine's start is slow on a loaded machine
  afterAll(() => database?.close());

  function service(env: Record<string, string> = {}, bus: EventBus = new InProcessEventBus()): AgentAvailabilityService {
    const config: AppConfig = loadAppConfig({ DATA_DIR: 'memory://', ...env });
    messages = [];
    bus.subscribe((message) => messages.push(message));
    return new AgentAvailabilityService(repository, config, new LiveEventPublisher(bus, 'test'));
  }

  async function rejection(promise: Promise<unknown>): Promise<{ status: number; field?: string; message: string }> {
    const error = await promise.then(() => { throw new Error('resolved'); }, (e: unknown) => e);
    if (error instanceof FieldException) return { status: error.getStatus(), field: error.field, message: error.message };
    if (error instanceof ConflictException) return { status: 409, message: error.message };
    throw error;
  }

  it("starts an agent offline and offers the configured lists", async () => {
    const id = agent();
    const view = await service({ AWAY_REASONS: 'coaching:Coaching', WRAP_UP_SECONDS: '0' }).ownView(id);
    expect(view).toEqual({
      availability: { identity: id, state: 'offline', reason: null, since: expect.any(String) },
      awayReasons: [{ id: 'coaching', label: 'Coaching' }],
      dispositionCodes: expect.arrayContaining([{ id: 'resolved', label: 'Resolved' }]),
      wrapUpSeconds: 0,
    });
  });

  it('lets the agent go away with a configured reason and back, telling the agent and the supervisors each time', async () => {
    const id = agent();
    const availability = service();
    expect(await availability.chooseOwn(id, { state: 'away', reason: 'lunch' })).toMatchObject({ identity: id, state: 'away', reason: 'lunch' });
    expect(await availability.chooseOwn(id, { state: 'available' })).toMatchObject({ state: 'available', reason: null });
    expect(messages.map((m) => [m.event.type, m.audience, m.event.data])).toEqual([
      ['agent.availability', { agents: [id], supervisors: true }, { availability: expect.objectContaining({ state: 'away' }), previous: 'offline', by: { kind: 'self' } }],
      ['agent.availability', { agents: [id], supervisors: true }, { availability: expect.objectContaining({ state: 'available' }), previous: 'away', by: { kind: 'self' } }],
    ]);
    // Choosing the state one is in changes nothing and tells nobody.
    await availability.chooseOwn(id, { state: 'available' });
    expect(messages).toHaveLength(2);
    expect((await availability.history(id, 10)).map((c) => [c.from, c.to, c.reason])).toEqual([['away', 'available', null], ['offline', 'away', 'lunch']]);
  });

  it.each<[AvailabilityChoice, string]>([
    [{ state: 'on-call' }, 'state'],
    [{ state: 'offline' }, 'state'],
    [{ state: 'busy' }, 'state'],
    [{ state: 'away' }, 'reason'],
    [{ state: 'away', reason: 'nap' }, 'reason'],
    [{ state: 'available', reason: 'break' }, 'reason'],
    [{ state: 'available', disposition: 'sold' }, 'disposition'],
    [{ state: 'available', note: 'hello' }, 'note'],
    [{ state: 'available', disposition: 'resolved', note: 'x'.repeat(501) }, 'note'],
  ])('refuses %j with 400 naming %s, changing nothing', async (choice, field) => {
    const id = agent();
    const availability = service();
    expect(await rejection(availability.chooseOwn(id, choice))).toMatchObject({ status: 400, field });
    expect((await availability.current(id)).state).toBe('offline');
    expect(messages).toEqual([]);
  });

  it('moves a call through on-call and wrap-up, and the agent ends wrap-up with a disposition stored with the call', async () => {
    const id = agent();
    const availability = service({ WRAP_UP_SECONDS: '45' });
    await availability.chooseOwn(id, { state: 'away', reason: 'break' });
    expect(await availability.onCallStarted(id, 'CA1', t0)).toMatchObject({ state: 'on-call', reason: null });
    expect(await availability.onCallStarted(id, 'CA2', t0)).toBeUndefined();
    expect(await rejection(availability.chooseOwn(id, { state: 'available' }))).toMatchObject({ status: 409 });
    expect(await availability.onCallEnded(id, 'CA2', later(5))).toBeUndefined();
    expect(await availability.onCallEnded(id, 'CA1', later(10))).toEqual({
      identity: id, state: 'wrap-up', reason: null, since: later(10).toISOString(), wrapUp: { callSid: 'CA1', endsAt: later(55).toISOString() },
    });

    expect(await rejection(availability.chooseOwn(id, { state: 'available' }))).toMatchObject({ status: 400, field: 'disposition' });
    expect(await availability.chooseOwn(id, { state: 'away', reason: 'training', disposition: 'escalated', note: 'Sent to billing' }))
      .toMatchObject({ state: 'away', reason: 'training' });
    expect(await repository.findDisposition('CA1', id)).toMatchObject({ code: 'escalated', note: 'Sent to billing' });
    expect(messages.map((m) => (m.event.data as { previous: string; by: unknown }).by)).toEqual([
      { kind: 'self' }, { kind: 'system' }, { kind: 'system' }, { kind: 'self' },
    ]);
    // A disposition after the wrap-up ended is refused, not stored elsewhere.
    expect(await rejection(availability.chooseOwn(id, { state: 'available', disposition: 'resolved' }))).toMatchObject({ status: 409 });
  });

  it('keeps a wrap-up open when WRAP_UP_SECONDS is 0', async () => {
    const id = agent();
    const availability = service({ WRAP_UP_SECONDS: '0' });
    await availability.onCallStarted(id, 'CA3', t0);
    expect((await availability.onCallEnded(id, 'CA3', t0))?.wrapUp).toEqual({ callSid: 'CA3', endsAt: null });
    expect(await availability.endDueWrapUps(later(86_400))).toBe(0);
  });

  it('ends due wrap-ups once, by the system, as available', async () => {
    await database.db.execute(sql`DELETE FROM agent_availability WHERE state = 'wrap-up'`);
    const [a, b] = [agent(), agent()];
    const availability = service({ WRAP_UP_SECONDS: '30' });
    for (const id of [a, b]) {
      await availability.onCallStarted(id, `CA-${id}`, t0);
      await availability.onCallEnded(id, `CA-${id}`, id === a ? t0 : later(60));
    }
    messages.length = 0;
    expect(await availability.endDueWrapUps(later(29))).toBe(0);
    expect(await Promise.all([availability.endDueWrapUps(later(30)), availability.endDueWrapUps(later(30))])).toEqual(expect.arrayContaining([1, 0]));
    expect(messages.map((m) => [m.audience, m.event.data])).toEqual([[
      { agents: [a], supervisors: true }, { availability: expect.objectContaining({ identity: a, state: 'available' }), previous: 'wrap-up', by: { kind: 'system' } },
    ]]);
    expect((await availability.current(b)).state).toBe('wrap-up');
  });

  it('lets a supervisor end a forgotten break or a wrap-up (no disposition), naming them to the agent', async () => {
    const id = agent();
    const availability = service();
    await availability.chooseOwn(id, { state: 'away', reason: 'break' });
    expect(await availability.setBySupervisor('sam', id, { state: 'available' })).toMatchObject({ state: 'available' });
    await availability.onCallStarted(id, 'CA4', t0);
    await availability.onCallEnded(id, 'CA4', t0);
    expect(await availability.setBySupervisor('sam', id, { state: 'away', reason: 'meeting' })).toMatchObject({ state: 'away', reason: 'meeting' });
    expect(await repository.findDisposition('CA4', id)).toBeUndefined();
    expect(messages.at(-1)?.event.data).toMatchObject({ previous: 'wrap-up', by: { kind: 'supervisor', identity: 'sam' } });
    expect((await availability.history(id, 1))[0].by).toEqual({ kind: 'supervisor', identity: 'sam' });
  });

  it('answers the change even when the live bus fails (the state is kept; clients refetch on resync)', async () => {
    const id = agent();
    const failing: EventBus = { publish: () => Promise.reject(new Error('bus down')), subscribe: () => () => undefined };
    expect(await service({}, failing).chooseOwn(id, { state: 'available' })).toMatchObject({ state: 'available' });
    expect((await repository.current(id, t0)).state).toBe('available');
  });
});
