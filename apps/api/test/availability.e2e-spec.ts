import { rowsOf } from '@switchboard/api-data-access-db';
import {
  API_ROUTES, type AgentAvailability, type ApiErrorBody, type AvailabilityHistoryResponse, type AvailabilityResponse,
} from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';
import { ENGINES, signIn, startApi, type TestApi } from './support';
import { EventReader } from './support/ordered-event-reader';

describe.each(ENGINES)('agent availability over HTTP (%s)', (engine) => {
  let api: TestApi;
  let cookies: Record<'alice' | 'bob' | 'sam', string>;

  beforeAll(async () => {
    api = await startApi(engine, { AWAY_REASONS: 'break:Break,meeting:Meeting', WRAP_UP_SECONDS: '30' });
    cookies = { alice: await signIn(api, 'alice'), bob: await signIn(api, 'bob'), sam: await signIn(api, 'sam') };
  }, 120_000); // a hang guard only: the embedded engine's start is slow on a loaded machine
  afterAll(() => api?.close());

  const request = (method: 'GET' | 'PUT', path: string, cookie: string, body?: unknown) => fetch(`${api.url}${path}`, {
    method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

  it('starts an agent offline and offers the configured away reasons, dispositions and wrap-up time', async () => {
    const response = await request('GET', API_ROUTES.availability, cookies.alice);
    expect(response.status).toBe(200);
    expect(await response.json() as AvailabilityResponse).toEqual({
      availability: { identity: 'alice', state: 'offline', reason: null, since: expect.any(String) },
      awayReasons: [{ id: 'break', label: 'Break' }, { id: 'meeting', label: 'Meeting' }],
      dispositionCodes: expect.arrayContaining([{ id: 'resolved', label: 'Resolved' }]),
      wrapUpSeconds: 30,
    });
  });

  it('lets an agent go away with a configured reason, and refuses an unknown one naming the field', async () => {
    const away = await request('PUT', API_ROUTES.availability, cookies.alice, { state: 'away', reason: 'meeting' });
    expect(away.status).toBe(200);
    expect(await away.json() as AgentAvailability).toMatchObject({ identity: 'alice', state: 'away', reason: 'meeting' });

    const refused = await request('PUT', API_ROUTES.availability, cookies.alice, { state: 'away', reason: 'nap' });
    expect(refused.status).toBe(400);
    expect(await refused.json() as ApiErrorBody).toMatchObject({ field: 'reason', message: 'reason must be one of break, meeting' });
    const state = await request('PUT', API_ROUTES.availability, cookies.alice, { state: 'on-call' });
    expect(await state.json() as ApiErrorBody).toMatchObject({ statusCode: 400, field: 'state' });
    const note = await request('PUT', API_ROUTES.availability, cookies.alice, { state: 'available', disposition: 'resolved', note: 'x'.repeat(501) });
    expect(await note.json() as ApiErrorBody).toMatchObject({ statusCode: 400, field: 'note' });

    const after = await (await request('GET', API_ROUTES.availability, cookies.alice)).json() as AvailabilityResponse;
    expect(after.availability).toMatchObject({ state: 'away', reason: 'meeting' });
  });

  it("lets supervisor sam set bob's state; bob's live stream is told who did it", async () => {
    await request('PUT', API_ROUTES.availability, cookies.bob, { state: 'away', reason: 'break' });
    const stream = await EventReader.open(api, cookies.bob);
    try {
      expect((await stream.next()).type).toBe('session.hello');
      const response = await request('PUT', API_ROUTES.agentAvailability('bob'), cookies.sam, { state: 'available' });
      expect(response.status).toBe(200);
      expect(await response.json() as AgentAvailability).toMatchObject({ identity: 'bob', state: 'available', reason: null });

      const event = await stream.next();
      expect(event).toMatchObject({
        type: 'agent.availability',
        data: { availability: { identity: 'bob', state: 'available', reason: null }, previous: 'away', by: { kind: 'supervisor', identity: 'sam' } },
      });
    } finally {
      stream.close();
    }
  });

  it("refuses another agent's state to a non-supervisor (403) and an unknown agent (404)", async () => {
    const forbidden = await request('PUT', API_ROUTES.agentAvailability('bob'), cookies.alice, { state: 'away', reason: 'break' });
    expect(forbidden.status).toBe(403);
    const unknown = await request('PUT', API_ROUTES.agentAvailability('nobody'), cookies.sam, { state: 'available' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json() as ApiErrorBody).toMatchObject({ field: 'identity' });
    const bob = await (await request('GET', API_ROUTES.availability, cookies.bob)).json() as AvailabilityResponse;
    expect(bob.availability.state).toBe('available');
  });

  it('records every change in history, with who made it', async () => {
    const response = await request('GET', API_ROUTES.availabilityHistory, cookies.bob);
    expect(response.status).toBe(200);
    expect((await response.json() as AvailabilityHistoryResponse).changes.map((c) => [c.from, c.to, c.reason, c.by])).toEqual([
      ['away', 'available', null, { kind: 'supervisor', identity: 'sam' }],
      ['offline', 'away', 'break', { kind: 'self' }],
    ]);
    const rows = rowsOf(await api.database.db.execute(sql`
      SELECT identity, from_state, to_state, by_kind, by_identity FROM availability_changes ORDER BY id`));
    expect(rows).toEqual([
      { identity: 'alice', from_state: 'offline', to_state: 'away', by_kind: 'self', by_identity: null },
      { identity: 'bob', from_state: 'offline', to_state: 'away', by_kind: 'self', by_identity: null },
      { identity: 'bob', from_state: 'away', to_state: 'available', by_kind: 'supervisor', by_identity: 'sam' },
    ]);
  });
});
