import { HttpException } from '@nestjs/common';
import type { AppConfig } from '@switchboard/api-data-access-config';
import type { RateLimit, RateLimitRepository } from '@switchboard/api-data-access-db';
import type { VoiceTokenIssuer } from '@switchboard/api-data-access-telephony';
import type { SessionAgent } from '@switchboard/api-http-boundary';
import type { FastifyReply } from 'fastify';
import { TokensController } from './tokens.controller';

describe('TokensController', () => {
  const bob: SessionAgent = { id: '00000000-0000-4000-8000-00000000b0b0', identity: 'bob', displayName: 'Bob', role: 'agent' };
  const config = { voiceToken: { rateLimitMax: 5, rateLimitWindowSeconds: 60 } } as AppConfig;
  const expiresAt = new Date('2026-12-06T10:00:00Z');
  const issuer = { issue: jest.fn((identity: string) => ({ token: `token-for-${identity}`, expiresAt })) } as unknown as VoiceTokenIssuer;

  function controllerWith(wait: number) {
    const takes: Array<[string, RateLimit]> = [];
    const rateLimits = { take: async (key: string, limit: RateLimit) => { takes.push([key, limit]); return wait; } } as unknown as RateLimitRepository;
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
});
