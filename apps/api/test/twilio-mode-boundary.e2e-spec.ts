import { API_ROUTES } from '@switchboard/shared-contracts';
import { ENGINES, startApi, type TestApi } from './support';

/** A twilio-mode app (no Twilio is reached: nothing here calls out) and an embedding origin configured. */
describe.each(ENGINES)('browser-facing protections in twilio mode (%s)', (engine) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(engine, {
      SWITCHBOARD_MODE: 'twilio',
      TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'a'.repeat(32),
      TWILIO_API_KEY_SID: `SK${'2'.repeat(32)}`,
      TWILIO_API_KEY_SECRET: 'b'.repeat(32),
      TWILIO_TWIML_APP_SID: `AP${'3'.repeat(32)}`,
      TWILIO_CALLER_ID: '+14155550100',
      RECONCILE_INTERVAL_SECONDS: '0',
      FRAME_ANCESTORS: 'https://crm.example.com',
    });
  });
  afterAll(async () => { await api?.close(); });

  it('lets the Voice SDK reach Twilio and only Twilio, and lets the configured origin frame the softphone', async () => {
    const response = await fetch(`${api.url}${API_ROUTES.health.live}`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/connect-src 'self' https:\/\/\*\.twilio\.com wss:\/\/\*\.twilio\.com/);
    expect(csp).toContain('https://sdk.twilio.com');
    expect(csp).not.toContain('8443');
    expect(csp).toContain('frame-ancestors https://crm.example.com');
    // X-Frame-Options cannot name an origin; it would forbid the configured embedding.
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect(response.headers.get('permissions-policy')).toMatch(/^microphone=\(self "https:\/\/crm\.example\.com"\)/);
  });

  it('serves no API documentation unless API_DOCS=on', async () => {
    expect((await fetch(`${api.url}${API_ROUTES.docs}`)).status).toBe(404);
    expect((await fetch(`${api.url}${API_ROUTES.docs}-json`)).status).toBe(404);
  });
});
