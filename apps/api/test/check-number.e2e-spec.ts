import { API_ROUTES } from '@switchboard/shared-contracts';
import { ENGINES, signIn, startApi, type TestApi } from './support';

describe.each(ENGINES)('POST check-number: the calling policy, asked before dialling (%s)', (engine) => {
  let api: TestApi;
  let alice: string;
  beforeAll(async () => {
    api = await startApi(engine);
    alice = await signIn(api, 'alice');
  });
  afterAll(async () => {
    await api?.close();
  });

  const check = (body: unknown, cookie: string | null = alice) => fetch(`${api.url}${API_ROUTES.calls.checkNumber}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });

  it('allows an ordinary US number and returns it in E.164', async () => {
    const response = await check({ to: '+1 (415) 555-0111' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ allowed: true, e164: '+14155550111' });
  });

  it('refuses a premium-rate number with a sentence for the agent', async () => {
    const response = await check({ to: '+19005550100' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      allowed: false,
      reason: 'blocked-prefix',
      message: "Premium-rate and other high-cost number ranges are blocked by your organisation's calling policy.",
    });
  });

  it('refuses a number in a country the policy does not allow', async () => {
    const response = await check({ to: '+33142685300' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      allowed: false,
      reason: 'country-not-allowed',
      message: "Calls to this country or region are blocked by your organisation's calling policy.",
    });
  });

  it('answers 401 without a session', async () => {
    expect((await check({ to: '+14155550111' }, null)).status).toBe(401);
  });

  it('answers 400 for a malformed body', async () => {
    for (const body of [{}, { to: 42 }, { to: '' }, { to: '   ' }, { to: '+1'.repeat(40) }, ['+14155550111']]) {
      const response = await check(body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
  });
});
