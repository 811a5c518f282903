import { Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AgentSignOuts, PresenceStore } from '@switchboard/api-data-access-presence';
import { LiveEventPublisher } from '@switchboard/api-data-access-live-events';
import { PRESENCE_EVENTS, type AgentReachability, type PresenceReport } from '@switchboard/shared-contracts';
import { AgentAvailabilityService } from './availability.service';

/**
 * Verified reachability (issue 13, item 2) as the API acts on it: a tab's report is stored, each change
 * is published as `agent.reachability` to the agent and the supervisors (once: the store answers a change
 * to one caller, whichever instance), reports that went stale are swept, and sign-out removes the agent's
 * presence and puts them offline. An agent who becomes reachable while offline becomes available.
 */
@Injectable()
export class AgentPresenceService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AgentPresence');
  private stopListening: () => void = () => undefined;

  constructor(
    private readonly store: PresenceStore,
    private readonly availability: AgentAvailabilityService,
    @Optional() private readonly signOuts?: AgentSignOuts,
    @Optional() private readonly publisher?: LiveEventPublisher,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.signOuts?.listen((identity, now) => this.signedOut(identity, now)) ?? (() => undefined);
  }

  onModuleDestroy(): void {
    this.stopListening();
  }

  /** One tab's report; answers the agent's reachability after it. */
  async report(identity: string, report: PresenceReport, now = new Date()): Promise<AgentReachability> {
    const { current, changed } = await this.store.report(identity, report, now);
    if (changed) {
      await this.publish(current);
      // Only on a change, so a heartbeat costs no database statement: offline is entered by sign-out,
      // which also clears presence, so the first report after it is always a change.
      if (current.reachable) await this.availability.onReachable(identity, now);
    }
    return current;
  }

  /** Publishes the agents whose reports went stale by `now` (each change by one instance). The number published. */
  async sweep(now = new Date()): Promise<number> {
    const changes = await this.store.sweep(now);
    for (const change of changes) await this.publish(change);
    return changes.length;
  }

  private async signedOut(identity: string, now: Date): Promise<void> {
    const changed = await this.store.signOut(identity, now);
    if (changed) await this.publish(changed);
    await this.availability.onSignedOut(identity, now);
  }

  /** The change is stored; a bus that fails only costs the live update (clients refetch on resync). */
  private async publish(reachability: AgentReachability): Promise<void> {
    if (!this.publisher) return;
    try {
      await this.publisher.publish(PRESENCE_EVENTS.changed, reachability, { agents: [reachability.identity], supervisors: true });
    } catch (error) {
      this.logger.warn(`agent.reachability for ${reachability.identity} was not published: ${(error as Error).message}`);
    }
  }
}
