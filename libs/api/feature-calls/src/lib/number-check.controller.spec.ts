import { loadAppConfig } from '@switchboard/api-data-access-config';
import type { OutboundCallCaps, OutboundCap } from '@switchboard/api-data-access-db';
import type { SessionAgent } from '@switchboard/api-http-boundary';
import { NumberCheckController } from './number-check.controller';

describe('NumberCheckController', () => {
  const alice = { identity: 'alice' } as SessionAgent;
  let capReached: OutboundCap | null = null;
  const asked: string[] = [];
  const caps = { capReachedNow: async (identity: string) => { asked.push(identity); return capReached; } } as unknown as OutboundCallCaps;
  const controller = new NumberCheckController(loadAppConfig({}), caps);
  beforeEach(() => { capReached = null; asked.length = 0; });

  it('allows a number the calling policy allows, in E.164', async () => {
    expect(await controller.checkNumber(alice, { to: '+1 415 555 0111' })).toEqual({ allowed: true, e164: '+14155550111' });
    expect(asked).toEqual(['alice']);
  });

  it('refuses in words that never repeat the number', async () => {
    const to = '+1 900 555 0199';
    const answer = await controller.checkNumber(alice, { to });
    expect(answer).toMatchObject({ allowed: false, reason: 'blocked-prefix' });
    expect(answer.allowed === false && answer.message).toMatch(/blocked by your organisation's calling policy/);
    expect(JSON.stringify(answer)).not.toContain('900');
  });

  it('explains a number it cannot read', async () => {
    expect(await controller.checkNumber(alice, { to: 'call bob' })).toMatchObject({ allowed: false, reason: 'unparseable' });
  });

  it('reports a toll-fraud cap in words for an allowed number', async () => {
    for (const cap of ['active-call', 'hourly-limit', 'daily-limit'] as const) {
      capReached = cap;
      const answer = await controller.checkNumber(alice, { to: '+1 415 555 0111' });
      expect(answer).toMatchObject({ allowed: false, reason: cap, message: expect.stringMatching(/\w+ .+\./) });
      expect(JSON.stringify(answer)).not.toContain('555');
    }
  });
});
