import type { AgentReachability, PresenceCallQuality, PresenceReport } from '@switchboard/shared-contracts';
import { PresenceStore, type PresenceReportOutcome } from './presence-store';
import {
  callQualityIn, nextDeadline, reachabilityAt, sameReachability, signedOut, withReport, type AgentPresence, type TabReport,
} from './reachability';

/** An agent's presence as read, with the version a write must still find to succeed. */
export interface VersionedPresence {
  readonly presence: AgentPresence;
  /** Opaque; '' for an agent nothing is stored for. */
  readonly version: string;
}

/** Writes that lost to another instance this many times in a row give up (the caller answers 500 and the tab reports again). */
const ATTEMPTS = 10;
/** Agents a sweep looks at per call; the rest wait for the next tick. */
const SWEEP_BATCH = 200;

/**
 * The rules of a {@link PresenceStore} over storage that offers compare-and-set per agent: every change
 * reads the agent, decides in TypeScript (reachability.ts) and writes only if nobody wrote meanwhile,
 * else decides again. So of several instances changing one agent at once, exactly one sees a given
 * change of reachability (and publishes it). A sorted set of deadlines, claimed one by one, says whose
 * reports may have gone stale.
 */
export abstract class VersionedPresenceStore extends PresenceStore {
  protected constructor(protected readonly timeoutMs: number) {
    super();
  }

  protected abstract load(identities: readonly string[]): Promise<Map<string, VersionedPresence>>;

  /** Writes `next` if the agent is still at `version`; sets (or, null, removes) their deadline with it. False if not. */
  protected abstract save(identity: string, version: string, next: AgentPresence, deadline: number | null): Promise<boolean>;

  /** Identities whose deadline is at or before `now`, at most `limit`. */
  protected abstract due(now: number, limit: number): Promise<string[]>;

  /** Removes the agent's deadline if it is still at or before `now`; true for the one caller that removed it. */
  protected abstract claim(identity: string, now: number): Promise<boolean>;

  async report(identity: string, report: PresenceReport, now: Date): Promise<PresenceReportOutcome> {
    const outcome = await this.update(identity, now, (tabs) => withReport(tabs, report, now.getTime()));
    return { current: outcome.current, changed: outcome.changed };
  }

  async reachabilityOf(identities: readonly string[], now: Date): Promise<Map<string, AgentReachability>> {
    const loaded = await this.load(unique(identities));
    return new Map([...loaded].map(([identity, { presence }]) =>
      [identity, reachabilityAt(identity, presence, now.getTime(), this.timeoutMs)]));
  }

  async callQualityOf(identities: readonly string[], now: Date): Promise<Map<string, PresenceCallQuality>> {
    const answer = new Map<string, PresenceCallQuality>();
    for (const [identity, { presence }] of await this.load(unique(identities))) {
      const call = callQualityIn(presence.tabs, now.getTime(), this.timeoutMs);
      if (call) answer.set(identity, call);
    }
    return answer;
  }

  async signOut(identity: string, now: Date): Promise<AgentReachability | null> {
    const outcome = await this.update(identity, now, () => []);
    return outcome.changed ? outcome.current : null;
  }

  async sweep(now: Date): Promise<AgentReachability[]> {
    const changes: AgentReachability[] = [];
    for (const identity of await this.due(now.getTime(), SWEEP_BATCH)) {
      // Whoever removes the deadline looks at the agent; the compare-and-set below, not the claim, makes
      // the change answered once (a report on another instance may decide it first).
      if (!(await this.claim(identity, now.getTime()))) continue;
      const outcome = await this.update(identity, now, (tabs) => tabs);
      if (outcome.changed) changes.push(outcome.current);
    }
    return changes;
  }

  private async update(
    identity: string, now: Date, change: (tabs: readonly TabReport[]) => readonly TabReport[],
  ): Promise<PresenceReportOutcome> {
    const at = now.getTime();
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const { presence, version } = (await this.load([identity])).get(identity) as VersionedPresence;
      const previous = presence.announced ?? signedOut(identity, at);
      const tabs = change(presence.tabs);
      const current = reachabilityAt(identity, { tabs, announced: previous }, at, this.timeoutMs);
      if (await this.save(identity, version, { tabs, announced: current }, nextDeadline(tabs, at, this.timeoutMs))) {
        return { current, changed: !sameReachability(previous, current) };
      }
    }
    throw new Error(`Presence of ${identity} kept changing under ${ATTEMPTS} attempts to update it`);
  }
}

const unique = (identities: readonly string[]): string[] => [...new Set(identities)];
