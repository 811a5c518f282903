import { Database } from './database';
import { ENABLED_AGENT_CACHE_MS, EnabledAgents } from './enabled-agents';
import { AgentsRepository } from './repositories';

describe('EnabledAgents (embedded engine)', () => {
  let database: Database;
  let repository: AgentsRepository;
  let clock = 0;
  const newDirectory = () => {
    const directory = new EnabledAgents(repository);
    directory.now = () => clock;
    return directory;
  };
  const agent = (identity: string) => ({ identity, displayName: identity, role: 'agent' as const, passwordHash: 'x', enabled: true });

  beforeAll(async () => {
    database = await Database.open({ url: null, dataDir: 'memory://' });
    await database.migrate();
    repository = new AgentsRepository(database);
  });
  afterAll(() => database.close());

  it('trusts an enabled agent for ENABLED_AGENT_CACHE_MS, then sees it disabled', async () => {
    await repository.insertIfMissing(agent('dora'));
    const directory = newDirectory();
    expect((await directory.find('dora'))?.identity).toBe('dora');
    await repository.setEnabled('dora', false);
    clock += ENABLED_AGENT_CACHE_MS - 1;
    expect((await directory.find('dora'))?.identity).toBe('dora');
    clock += 1;
    expect(await directory.find('dora')).toBeUndefined();
  });

  it('never caches a missing or disabled agent: one created or enabled later is found at once', async () => {
    const directory = newDirectory();
    expect(await directory.find('emil')).toBeUndefined();
    await repository.insertIfMissing(agent('emil'));
    expect((await directory.find('emil'))?.identity).toBe('emil');

    await repository.setEnabled('dora', false);
    expect(await directory.find('dora')).toBeUndefined();
    await repository.setEnabled('dora', true);
    expect((await directory.find('dora'))?.identity).toBe('dora');
  });

  it('shares one database lookup among concurrent lookups of an identity', async () => {
    await repository.insertIfMissing(agent('fay'));
    const directory = newDirectory();
    const findEnabled = jest.spyOn(repository, 'findEnabled');
    const found = await Promise.all([directory.find('fay'), directory.find('fay'), directory.find('fay'), directory.find('nobody')]);
    expect(found.map((a) => a?.identity)).toEqual(['fay', 'fay', 'fay', undefined]);
    expect(findEnabled.mock.calls).toEqual([['fay'], ['nobody']]);
    findEnabled.mockRestore();
  });
});
