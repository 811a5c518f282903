import { createHash } from 'node:crypto';
import type { AgentsRepository, SessionsRepository, SignInFailuresRepository } from '@switchboard/api-data-access-db';
import type { AppConfig } from '@switchboard/api-data-access-config';
import { AgentSessions, SESSION_CACHE_MS } from './sessions';
import type { SignInThrottle } from './sign-in-throttle';

// createHash is counted to show a cached session costs no SHA-256; it still hashes as node's does.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, createHash: jest.fn(actual.createHash) };
});

const TOKEN = 'a'.repeat(43);
const sha256 = (text: string) => jest.requireActual<typeof import('node:crypto')>('node:crypto').createHash('sha256').update(text).digest('hex');
const ALICE = { id: 'agent-1', identity: 'alice', displayName: 'Alice', role: 'agent' as const, passwordHash: 'x', enabled: true };

function setUp() {
  const rows = new Map<string, typeof ALICE>([[sha256(TOKEN), ALICE]]);
  const repository = {
    findAgent: jest.fn(async (tokenHash: string) => rows.get(tokenHash)),
    delete: jest.fn(async (tokenHash: string) => { rows.delete(tokenHash); }),
  };
  const sessions = new AgentSessions(
    {} as AgentsRepository, repository as unknown as SessionsRepository, {} as SignInThrottle, {} as SignInFailuresRepository,
    { sessions: { ttlSeconds: 3600 } } as AppConfig,
  );
  /** Ends the session in the database only, as another instance or an admin would. */
  const revokeElsewhere = () => rows.delete(sha256(TOKEN));
  return { sessions, repository, revokeElsewhere };
}

describe('AgentSessions.agentFor (the session cache)', () => {
  let now = 1_000_000;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    jest.mocked(createHash).mockClear();
  });
  afterEach(() => jest.restoreAllMocks());

  it('looks the session up by the hash of the token, never the token itself', async () => {
    const { sessions, repository } = setUp();
    expect(await sessions.agentFor(TOKEN)).toEqual({ id: 'agent-1', identity: 'alice', displayName: 'Alice', role: 'agent' });
    expect(repository.findAgent).toHaveBeenCalledWith(sha256(TOKEN), new Date(now));
  });

  it('answers a verified session from the cache within its TTL without the database or a hash', async () => {
    const { sessions, repository } = setUp();
    await sessions.agentFor(TOKEN);
    const hashes = jest.mocked(createHash).mock.calls.length;
    now += SESSION_CACHE_MS - 1;
    expect(await sessions.agentFor(TOKEN)).toMatchObject({ identity: 'alice' });
    expect(repository.findAgent).toHaveBeenCalledTimes(1);
    expect(jest.mocked(createHash).mock.calls.length).toBe(hashes);
  });

  it('asks the database again once the TTL is over, and refuses a session revoked meanwhile', async () => {
    const { sessions, repository, revokeElsewhere } = setUp();
    await sessions.agentFor(TOKEN);
    revokeElsewhere();
    now += SESSION_CACHE_MS;
    expect(await sessions.agentFor(TOKEN)).toBeNull();
    expect(repository.findAgent).toHaveBeenCalledTimes(2);
    // And it stays refused: a refusal is not cached as a pass.
    expect(await sessions.agentFor(TOKEN)).toBeNull();
  });

  it('forgets the session at once on sign-out on this instance', async () => {
    const { sessions, repository } = setUp();
    await sessions.agentFor(TOKEN);
    await sessions.signOut(TOKEN);
    expect(repository.delete).toHaveBeenCalledWith(sha256(TOKEN));
    expect(await sessions.agentFor(TOKEN)).toBeNull();
  });

  it('refuses malformed tokens without a look-up', async () => {
    const { sessions, repository } = setUp();
    expect(await sessions.agentFor('short')).toBeNull();
    expect(await sessions.agentFor(`${'a'.repeat(42)}!`)).toBeNull();
    expect(repository.findAgent).not.toHaveBeenCalled();
  });
});
