import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { AgentsRepository, AvailabilityRepository, QueueRepository, type AvailabilityRecord } from '@switchboard/api-data-access-db';
import { PresenceStore } from '@switchboard/api-data-access-presence';
import type {
  AgentAvailability, AgentReachability, FloorAgent, FloorCall, FloorCounts, FloorQueueEvent, FloorSnapshot, PresenceCallQuality, QueuedCall,
} from '@switchboard/shared-contracts';
import { FloorQueries, type CurrentCallRow } from './floor-queries';

/**
 * The supervisor's board: every enabled agent with their availability, reachability and current customer
 * call (with its live quality), the queue, and today's counts. Each part is read where it is kept
 * (availability and calls in the database, presence in the presence store), so any instance answers the
 * same board.
 */
@Injectable()
export class FloorService {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly availability: AvailabilityRepository,
    private readonly queries: FloorQueries,
    private readonly queue: QueueRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // Optional: an API built without presence (a unit test's) shows every agent as not signed in.
    @Optional() private readonly presence?: PresenceStore,
  ) {}

  async snapshot(now = new Date()): Promise<FloorSnapshot> {
    const enabled = (await this.agents.listAll()).filter((agent) => agent.enabled);
    const identities = enabled.map((agent) => agent.identity);
    const [states, reachability, calls, quality, queue, counts] = await Promise.all([
      this.availability.list(),
      this.reachabilityOf(identities, now),
      this.queries.currentCalls(),
      this.presence?.callQualityOf(identities, now) ?? new Map<string, PresenceCallQuality>(),
      this.queue.waiting(now),
      this.counts(now),
    ]);
    const stateOf = new Map(states.map((record) => [record.identity, record]));
    const floorAgents: FloorAgent[] = [];
    for (const agent of enabled) {
      // An agent never seen gets their first row (offline), as the availability routes would give them.
      const record = stateOf.get(agent.identity) ?? await this.availability.current(agent.identity, now);
      const call = calls.get(agent.identity);
      floorAgents.push({
        identity: agent.identity, displayName: agent.displayName, role: agent.role === 'supervisor' ? 'supervisor' : 'agent',
        availability: availabilityView(record),
        reachability: reachability.get(agent.identity) ?? signedOut(agent.identity, now),
        call: call ? floorCall(call, quality.get(agent.identity)) : null,
      });
    }
    return { agents: floorAgents, ...queueView(queue, now), counts, at: now.toISOString() };
  }

  /** The agent's current customer call as the board shows it; null when they are on none. */
  async callOf(identity: string, now = new Date()): Promise<FloorCall | null> {
    const call = (await this.queries.currentCalls([identity])).get(identity);
    if (!call) return null;
    const quality = await this.presence?.callQualityOf([identity], now);
    return floorCall(call, quality?.get(identity));
  }

  counts(now = new Date()): Promise<FloorCounts> {
    return this.queries.todayCounts(now, this.config.floor.timeZone);
  }

  private async reachabilityOf(identities: readonly string[], now: Date): Promise<Map<string, AgentReachability>> {
    return this.presence ? this.presence.reachabilityOf(identities, now) : new Map();
  }
}

/** The queue with its longest wait, as the snapshot and `floor.queue` carry it. */
export function queueView(queue: readonly QueuedCall[], now: Date): FloorQueueEvent {
  const waits = queue.map((call) => Math.max(0, Math.floor((now.getTime() - Date.parse(call.enqueuedAt)) / 1000)));
  return { queue: [...queue], longestWaitSeconds: waits.length === 0 ? null : Math.max(...waits) };
}

/** The live quality applies to the call the softphone reported it for: the agent's own leg. */
function floorCall(call: CurrentCallRow, quality: PresenceCallQuality | undefined): FloorCall {
  return {
    customerCallSid: call.customerCallSid, agentCallSid: call.agentCallSid, direction: call.direction, party: call.party ?? 'Unknown',
    since: call.since.toISOString(),
    quality: quality && quality.callSid === call.agentCallSid ? { mos: quality.mos, warnings: [...quality.warnings] } : null,
  };
}

function signedOut(identity: string, now: Date): AgentReachability {
  return { identity, reachable: false, reason: 'signed-out', since: now.toISOString() };
}

/** As feature-availability's view of a record (repeated: feature libraries do not import each other). */
export function availabilityView(record: AvailabilityRecord): AgentAvailability {
  return {
    identity: record.identity, state: record.state, reason: record.reason, since: record.since.toISOString(),
    ...(record.state === 'wrap-up' && record.callSid !== null
      ? { wrapUp: { callSid: record.callSid, endsAt: record.wrapUpEndsAt?.toISOString() ?? null } } : {}),
  };
}
