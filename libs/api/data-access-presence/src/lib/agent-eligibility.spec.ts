import type { AvailabilityRecord, AvailabilityRepository } from '@switchboard/api-data-access-db';
import type { AvailabilityState } from '@switchboard/shared-contracts';
import { AgentEligibility } from './agent-eligibility';
import { MemoryPresenceStore } from './memory-presence-store';

const now = new Date('2026-12-06T10:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const state = (identity: string, value: AvailabilityState, since: Date): AvailabilityRecord => ({
  identity, state: value, reason: value === 'away' ? 'break' : null, since, callSid: null, wrapUpEndsAt: null,
});

describe('AgentEligibility', () => {
  const states = new Map<string, AvailabilityRecord>([
    ['alice', state('alice', 'available', minutesAgo(3))],
    ['bob', state('bob', 'available', minutesAgo(10))],
    ['carol', state('carol', 'available', minutesAgo(20))],
    ['dave', state('dave', 'away', minutesAgo(5))],
    ['erin', state('erin', 'on-call', minutesAgo(1))],
    ['fay', state('fay', 'wrap-up', minutesAgo(1))],
  ]);
  const asked: string[][] = [];
  const repository = {
    currentMany: async (identities: readonly string[], at: Date) => {
      asked.push([...identities]);
      return new Map(identities.map((identity) => [identity, states.get(identity) ?? state(identity, 'offline', at)]));
    },
  } as unknown as AvailabilityRepository;
  const presence = new MemoryPresenceStore(15_000);
  const eligibility = new AgentEligibility(repository, presence);

  beforeAll(async () => {
    for (const identity of ['alice', 'bob', 'dave', 'erin', 'fay', 'gina']) {
      await presence.report(identity, { tabId: `tab-${identity}`, device: 'registered', lifecycle: 'active' }, now);
    }
    // carol is available but her tab froze.
    await presence.report('carol', { tabId: 'tab-carol', device: 'registered', lifecycle: 'frozen' }, now);
  });

  it('rings the available and reachable, longest idle first; says why each other member is not rung', async () => {
    const answer = await eligibility.eligible(['alice', 'carol', 'dave', 'bob', 'erin', 'fay', 'gina', 'alice'], now);
    expect(answer.eligible).toEqual([{ identity: 'bob', availableSince: minutesAgo(10) }, { identity: 'alice', availableSince: minutesAgo(3) }]);
    expect(answer.skipped).toEqual([
      { identity: 'carol', outcome: 'unreachable' },
      { identity: 'dave', outcome: 'away' },
      { identity: 'erin', outcome: 'on-call' },
      { identity: 'fay', outcome: 'wrap-up' },
      { identity: 'gina', outcome: 'offline' },
    ]);
    expect(asked.at(-1)).toEqual(['alice', 'carol', 'dave', 'bob', 'erin', 'fay', 'gina']);
  });

  it('answers nothing for nobody', async () => {
    expect(await eligibility.eligible([], now)).toEqual({ eligible: [], skipped: [] });
  });
});
