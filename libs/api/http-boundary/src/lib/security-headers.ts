import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/** A response header as Node sets it. */
export type SecurityHeader = readonly [name: string, value: string | string[]];

/**
 * The headers @fastify/helmet sets for these options, worked out once. The plugin builds a new helmet
 * middleware on every request (parsing the CSP directives again each time: about 8 % of a webhook's CPU,
 * bench/api/PROFILE.md), yet without per-route options or CSP nonces (neither is used here) the headers
 * depend on the options alone. They are captured from the plugin itself, on a scratch instance, so they
 * are exactly what it would set.
 */
export async function securityHeaders(options: FastifyHelmetOptions): Promise<readonly SecurityHeader[]> {
  const scratch = Fastify();
  try {
    await scratch.register(fastifyHelmet, options);
    let captured: SecurityHeader[] = [];
    scratch.get('/', (_request, reply) => {
      // Inside the handler the raw response holds only what the onRequest hooks set: helmet's headers.
      captured = Object.entries(reply.raw.getHeaders()).map(([name, value]) => [name, Array.isArray(value) ? value : String(value)]);
      return '';
    });
    await scratch.inject({ method: 'GET', url: '/' });
    return captured;
  } finally {
    await scratch.close();
  }
}

/** Helmet's headers on every answer (onRequest, like the plugin), set from the list worked out at boot. */
export async function registerSecurityHeaders(fastify: FastifyInstance, options: FastifyHelmetOptions): Promise<void> {
  const headers = await securityHeaders(options);
  if (headers.length === 0) throw new Error('@fastify/helmet set no header: the security headers could not be worked out');
  fastify.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
