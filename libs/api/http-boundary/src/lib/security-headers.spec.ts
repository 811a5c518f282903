import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerSecurityHeaders, securityHeaders } from './security-headers';

const OPTIONS: FastifyHelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'self'"], 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': [] } },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'same-origin' },
};

async function answerHeaders(setUp: (app: FastifyInstance) => Promise<void>): Promise<Record<string, unknown>> {
  const app = Fastify();
  try {
    await setUp(app);
    app.get('/x', async () => ({ ok: true }));
    app.post('/x', async () => 'ok');
    const [get, post] = [await app.inject({ method: 'GET', url: '/x' }), await app.inject({ method: 'POST', url: '/x' })];
    expect(post.headers).toEqual(expect.objectContaining(Object.fromEntries(Object.entries(get.headers).filter(([name]) => !['content-type', 'content-length'].includes(name)))));
    // The Date header changes from one answer to the next.
    return Object.fromEntries(Object.entries(get.headers).filter(([name]) => name !== 'date'));
  } finally {
    await app.close();
  }
}

describe('security headers worked out once', () => {
  it('are exactly the headers @fastify/helmet sets for the same options', async () => {
    const viaPlugin = await answerHeaders(async (app) => { await app.register(fastifyHelmet, OPTIONS); });
    const once = await answerHeaders((app) => registerSecurityHeaders(app, OPTIONS));
    expect(once).toEqual(viaPlugin);
    expect(once['content-security-policy']).toBe("default-src 'self';frame-ancestors 'none';upgrade-insecure-requests");
    expect(once['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(once['x-frame-options']).toBe('DENY');
  });

  it('follow the options: a header turned off is not set', async () => {
    const headers = new Map(await securityHeaders({ ...OPTIONS, strictTransportSecurity: false, xFrameOptions: false }));
    expect(headers.has('strict-transport-security')).toBe(false);
    expect(headers.has('x-frame-options')).toBe(false);
    expect(headers.get('referrer-policy')).toBe('same-origin');
  });
});
