import { loadAppConfig } from '@switchboard/api-data-access-config';
import { AvailabilityRepository, Database } from '@switchboard/api-data-access-db';
import { InProcessEventBus, LiveEventPublisher, type BusMessage } from '@switchboard/api-data-access-live-events';
import { AgentSignOuts, MemoryPresenceStore } from '@switchboard/api-data-access-presence';
import type { PresenceReport } from '@switchboard/shared-contracts';
import { AgentPresenceService } from './agent-presence.service';
import { AgentAvailabilityService } from './availability.service';

/** Reports, sweep and sign-out over the memory store, the real availability service on the embedded engine, and a bus that records. */
describe('AgentPresenceService', () => {
  let database: Database;
  let availability: AgentAvailabilityService;
  let presence: AgentPresenceService;
  let signOuts: AgentSignOuts;
  const messages: BusMessage[] = [];
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000 - 86_400_000);
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
  const live = (tabId: string, extra: Partial<PresenceReport> = {}): PresenceReport => ({ tabId, device: 'registered', lifecycle: 'active', ...extra });
  const published = (type: string) => messages.filter((message) => message.event.type === type);

  beforeAll(async () => {
    database = await Database.open({ url: null, dataDir: 'memory://' });
    await database.migrate();
    const bus = new InProcessEventBus();
    bus.subscribe((message) => messages.push(message));
    const publisher = new LiveEventPublisher(bus, 'test');
    availability = new AgentAvailabilityService(new AvailabilityRepository(database), loadAppConfig({ DATA_DIR: 'memory://' }), publisher);
    signOuts = new AgentSignOuts();
    presence = new AgentPresenceService(new MemoryPresenceStore(15_000), availability, signOuts, publisher);
    presence.onModuleInit();
  }, 120_000); // a hang guard only: the embedded engine's start is slow on a loaded machine
  afterAll(async () => {
    presence?.onModuleDestroy();
    await database?.close();
  });
  beforeEach(() => {
    messages.length = 0;
  });

  it("publishes the first registered report to the agent and the supervisors, and puts an offline agent online", async () => {
    expect(await presence.report('alice', live('tab-alice'), at(0))).toEqual({ identity: 'alice', reachable: true, reason: null, since: at(0).toISOString() });
    expect(published('agent.reachability')).toEqual([{
      event: expect.objectContaining({ data: { identity: 'alice', reachable: true, reason: null, since: at(0).toISOString() } }),
      audience: { agents: ['alice'], supervisors: true },
    }]);
    expect(published('agent.availability').map((m) => m.event.data)).toEqual([
      expect.objectContaining({ availability: expect.objectContaining({ identity: 'alice', state: 'available' }), previous: 'offline', by: { kind: 'system' } }),
    ]);
    messages.length = 0;
    await presence.report('alice', live('tab-alice'), at(5));
    expect(messages).toEqual([]);
  });

  it('leaves a chosen state alone when the agent becomes reachable again', async () => {
    await presence.report('bob', live('tab-bob'), at(0));
    await availability.chooseOwn('bob', { state: 'away', reason: 'break' });
    await presence.report('bob', live('tab-bob', { lifecycle: 'frozen' }), at(1));
    messages.length = 0;
    await presence.report('bob', live('tab-bob'), at(2));
    expect(published('agent.reachability')).toHaveLength(1);
    expect(published('agent.availability')).toEqual([]);
    expect((await availability.current('bob')).state).toBe('away');
  });

  it('publishes a missed heartbeat from the sweep, once', async () => {
    await presence.sweep(at(999)); // the earlier tests' agents
    await presence.report('carol', live('tab-carol'), at(1000));
    messages.length = 0;
    expect(await presence.sweep(at(1014))).toBe(0);
    expect(await presence.sweep(at(1015))).toBe(1);
    expect(await presence.sweep(at(1016))).toBe(0);
    expect(published('agent.reachability').map((m) => m.event.data)).toEqual([
      { identity: 'carol', reachable: false, reason: 'heartbeat-missed', since: at(1015).toISOString() },
    ]);
  });

  it('on sign-out: presence removed (signed-out published) and the agent offline', async () => {
    await presence.report('dave', live('tab-dave'), at(0));
    messages.length = 0;
    await signOuts.signedOut('dave', at(3));
    expect(published('agent.reachability').map((m) => m.event.data)).toEqual([
      { identity: 'dave', reachable: false, reason: 'signed-out', since: at(3).toISOString() },
    ]);
    expect((await availability.current('dave')).state).toBe('offline');
    // Signing in again: the first report puts them online again.
    await presence.report('dave', live('tab-dave-2'), at(10));
    expect((await availability.current('dave')).state).toBe('available');
  });
});
