import { HttpException } from '@nestjs/common';
import type { AppConfig } from '@switchboard/api-data-access-config';
import type { VoiceTokenIssuer } from '@switchboard/api-data-access-telephony';
import type { SessionAgent } from '@switchboard/api-http-boundary';
import type { FastifyReply } from 'fastify';
import { RateLimiterUnavailableError, type RateLimit, type RateLimiter } from './rate-limiter';
import { TokensController } from './tokens.controller';

describe('TokensController', () => {
  const bob: SessionAgent = { id: '00000000-0000-4000-8000-00000000b0b0', identity: 'bob', displayName: 'Bob', role: 'agent' };
  const config = { voiceToken: { rateLimitMax: 5, rateLimitWindowSeconds: 60 } } as AppConfig;
  const expiresAt = new Date('2026-12-06T10:00:00Z');
  const issuer = { issue: jest.fn((identity: string) => ({ token: `token-for-${identity}`, expiresAt })) } as unknown as VoiceTokenIssuer;

  function controllerWith(wait: number | Error) {
    const takes: Array<[string, RateLimit]> = [];
    const rateLimits: RateLimiter = {
      take: async (key: string, limit: RateLimit) => {
        takes.push([key, limit]);
        if (wait instanceof Error) throw wait;
        return wait;
      },
    };
    const headers: Record<string, string> = {};
    const reply = { header: (name: string, value: string) => { headers[name] = value; return reply; } } as unknown as FastifyReply;
    return { controller: new TokensController(issuer, rateLimits, config), takes, headers, reply };
  }

  it('takes one slot of the agent\'s own limit, as configured, and signs the session identity\'s token', async () => {
    const { controller, takes, headers, reply } = controllerWith(0);
    expect(await controller.issue(bob, reply)).toEqual({ token: 'token-for-bob', identity: 'bob', expiresAt: expiresAt.toISOString() });
    expect(takes).toEqual([[`voice-token:${bob.id}`, { max: 5, windowSeconds: 60 }]]);
    expect(headers).toEqual({});
  });

  it('answers 429 with Retry-After from the limit and signs nothing when refused', async () => {
    const { controller, headers, reply } = controllerWith(17);
    (issuer.issue as jest.Mock).mockClear();
    const refusal = await controller.issue(bob, reply).then(() => null, (error: unknown) => error);
    expect(refusal).toBeInstanceOf(HttpException);
    expect((refusal as HttpException).getStatus()).toBe(429);
    expect((refusal as HttpException).getResponse()).toBe('Too many token requests; retry later');
    expect(headers).toEqual({ 'Retry-After': '17' });
    expect(issuer.issue).not.toHaveBeenCalled();
  });

  it('answers 503 with Retry-After and signs nothing when the limit cannot be counted (fails closed)', async () => {
    const { controller, headers, reply } = controllerWith(new RateLimiterUnavailableError('Redis at redis://127.0.0.1:1 did not answer'));
    (issuer.issue as jest.Mock).mockClear();
    const refusal = await controller.issue(bob, reply).then(() => null, (error: unknown) => error);
    expect((refusal as HttpException).getStatus()).toBe(503);
    expect((refusal as HttpException).getResponse()).toBe('The token rate limit cannot be checked right now; retry shortly');
    expect(headers).toEqual({ 'Retry-After': '5' });
    expect(issuer.issue).not.toHaveBeenCalled();
  });

  it('lets any other failure of the limiter through as it is (not turned into a 503 or a token)', async () => {
    const { controller, reply } = controllerWith(new Error('bug'));
    (issuer.issue as jest.Mock).mockClear();
    await expect(controller.issue(bob, reply)).rejects.toThrow('bug');
    expect(issuer.issue).not.toHaveBeenCalled();
  });
});
