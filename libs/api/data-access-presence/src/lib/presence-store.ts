import type { AgentReachability, PresenceCallQuality, PresenceReport } from '@switchboard/shared-contracts';

/** What {@link PresenceStore.report} answers: the agent's reachability now, and whether this report changed it. */
export interface PresenceReportOutcome {
  readonly current: AgentReachability;
  /** True for exactly one caller per change (reachable or reason differs), whichever instance it runs on. */
  readonly changed: boolean;
}

/**
 * Where each agent's softphone tabs last reported (issue 13, item 2), and the reachability derived from
 * them. In memory for one instance (REDIS_URL unset), in Redis when several share it. Every method takes
 * `now`, so expiry is decided by the caller's clock (tests pass their own).
 */
export abstract class PresenceStore {
  /** Stores one tab's report; the agent's reachability after it. */
  abstract report(identity: string, report: PresenceReport, now: Date): Promise<PresenceReportOutcome>;

  /** Each identity's reachability (an agent no tab has reported for is unreachable, `signed-out`). */
  abstract reachabilityOf(identities: readonly string[], now: Date): Promise<Map<string, AgentReachability>>;

  /** The live quality of the call each agent's freshest live tab reports; agents on no call are absent. */
  abstract callQualityOf(identities: readonly string[], now: Date): Promise<Map<string, PresenceCallQuality>>;

  /** Forgets every tab of the agent (sign-out): their new reachability, or null when it was already `signed-out`. */
  abstract signOut(identity: string, now: Date): Promise<AgentReachability | null>;

  /**
   * The agents whose reachability changed because reports went stale by `now`. Every instance sweeps;
   * each change is answered to exactly one caller, so it is published once.
   */
  abstract sweep(now: Date): Promise<AgentReachability[]>;

  /** Whether reports can be kept now (the Redis store: its connection); the in-memory store always can. */
  readiness(): { ready: boolean; detail: string } {
    return { ready: true, detail: 'in memory' };
  }

  /** Releases connections (Redis); the in-memory store has nothing to release. */
  async close(): Promise<void> {
    // nothing by default
  }
}
