import { RoutingRepository } from '@switchboard/api-data-access-db';
import { API_ROUTES, type RingGroupListing } from '@switchboard/shared-contracts';
import { ENGINES, signIn, startApi, type TestApi } from './support';

describe.each(ENGINES)('GET /api/ring-groups: ring groups for the transfer dialog (%s)', (engine) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(engine);
  });
  afterAll(() => api?.close());

  it('answers 401 without a session', async () => {
    const response = await fetch(`${api.url}${API_ROUTES.ringGroups}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('lists every ring group by name (its id is the name) with its strategy, without members, to any signed-in agent', async () => {
    // The demo seeder made `support` and `sales`; a group exists while it has members.
    await api.app.get(RoutingRepository).addGroupMember('billing', 'alice');
    await api.app.get(RoutingRepository).setGroupStrategy('billing', 'longest-idle');
    const cookie = await signIn(api, 'alice');
    const response = await fetch(`${api.url}${API_ROUTES.ringGroups}`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const groups = (await response.json()) as RingGroupListing[];
    expect(groups).toEqual([
      { id: 'billing', name: 'billing', strategy: 'longest-idle' }, { id: 'sales', name: 'sales', strategy: 'ring-all' }, { id: 'support', name: 'support', strategy: 'ring-all' },
    ]);

    await api.app.get(RoutingRepository).removeGroupMember('billing', 'alice');
    const after = await fetch(`${api.url}${API_ROUTES.ringGroups}`, { headers: { cookie } });
    expect(await after.json()).toEqual([{ id: 'sales', name: 'sales', strategy: 'ring-all' }, { id: 'support', name: 'support', strategy: 'ring-all' }]);
  });
});
