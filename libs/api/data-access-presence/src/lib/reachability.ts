import type {
  AgentReachability, PresenceCallQuality, PresenceDeviceState, PresenceLifecycle, PresenceReport, UnreachableReason,
} from '@switchboard/shared-contracts';

/** One tab's latest report as stored: the report and when it arrived (ms since the epoch, the caller's clock). */
export interface TabReport {
  readonly tabId: string;
  readonly device: PresenceDeviceState;
  readonly lifecycle: PresenceLifecycle;
  readonly call?: PresenceCallQuality;
  readonly at: number;
}

/** What a store keeps per agent: the tabs' latest reports and the reachability last announced. */
export interface AgentPresence {
  readonly tabs: readonly TabReport[];
  /** Null until the agent's first report. */
  readonly announced: AgentReachability | null;
}

/**
 * The reasons in the order the API checks them (presence.ts). With several tabs, the agent's reason is the
 * one of the tab that got furthest through the checks: a tab that is open but unregistered says more
 * about the agent than another tab that was closed.
 */
export const REASON_ORDER: readonly UnreachableReason[] = ['signed-out', 'tab-closed', 'tab-frozen', 'heartbeat-missed', 'device-unregistered'];

/** A tab silent this long is dropped when another tab reports (an agent's only tab stays, saying why). */
export const FORGET_TAB_AFTER_MS = 60 * 60 * 1000;

/** Null when the tab can ring now. Closed and frozen first: they stay the reason once the tab goes silent. */
export function tabReason(tab: TabReport, now: number, timeoutMs: number): UnreachableReason | null {
  if (tab.lifecycle === 'terminated') return 'tab-closed';
  if (tab.lifecycle === 'frozen') return 'tab-frozen';
  if (now - tab.at >= timeoutMs) return 'heartbeat-missed';
  if (tab.device !== 'registered') return 'device-unregistered';
  return null;
}

/** Reachable while one tab can ring; otherwise the furthest reason of {@link REASON_ORDER}. */
export function reasonOf(tabs: readonly TabReport[], now: number, timeoutMs: number): UnreachableReason | null {
  let furthest = 0; // signed-out: no tab at all
  for (const tab of tabs) {
    const reason = tabReason(tab, now, timeoutMs);
    if (reason === null) return null;
    furthest = Math.max(furthest, REASON_ORDER.indexOf(reason));
  }
  return REASON_ORDER[furthest];
}

/**
 * The agent's reachability at `now`: the announced one while it still holds (its `since` kept), else the
 * new one since `now`.
 */
export function reachabilityAt(identity: string, presence: AgentPresence, now: number, timeoutMs: number): AgentReachability {
  const reason = reasonOf(presence.tabs, now, timeoutMs);
  const announced = presence.announced;
  if (announced && announced.reason === reason) return announced;
  return { identity, reachable: reason === null, reason, since: new Date(now).toISOString() };
}

/**
 * When the reachability may next change by itself: the earliest moment a live tab's report goes stale.
 * Null when no tab's report can go stale any more (none, or all closed, frozen or stale already).
 */
export function nextDeadline(tabs: readonly TabReport[], now: number, timeoutMs: number): number | null {
  let earliest: number | null = null;
  for (const tab of tabs) {
    if (tab.lifecycle === 'terminated' || tab.lifecycle === 'frozen') continue;
    const deadline = tab.at + timeoutMs;
    if (deadline > now && (earliest === null || deadline < earliest)) earliest = deadline;
  }
  return earliest;
}

/** The tabs with `report` in place of that tab's previous one; other tabs silent for FORGET_TAB_AFTER_MS dropped. */
export function withReport(tabs: readonly TabReport[], report: PresenceReport, now: number): TabReport[] {
  const stored: TabReport = {
    tabId: report.tabId, device: report.device, lifecycle: report.lifecycle, at: now,
    ...(report.call ? { call: { callSid: report.call.callSid, mos: report.call.mos, warnings: [...report.call.warnings] } } : {}),
  };
  return [...tabs.filter((tab) => tab.tabId !== report.tabId && now - tab.at < FORGET_TAB_AFTER_MS), stored];
}

/** The call of the freshest tab that is live (fresh, open, not frozen) and on one; null otherwise. */
export function callQualityIn(tabs: readonly TabReport[], now: number, timeoutMs: number): PresenceCallQuality | null {
  let freshest: TabReport | null = null;
  for (const tab of tabs) {
    const live = tab.lifecycle !== 'terminated' && tab.lifecycle !== 'frozen' && now - tab.at < timeoutMs;
    if (live && tab.call && (freshest === null || tab.at >= freshest.at)) freshest = tab;
  }
  return freshest?.call ?? null;
}

export const sameReachability = (a: AgentReachability | null, b: AgentReachability): boolean =>
  a !== null && a.reachable === b.reachable && a.reason === b.reason;

/** An agent no tab has reported for (never, or not since sign-out); `since` unknown, so `now`. */
export const signedOut = (identity: string, now: number): AgentReachability =>
  ({ identity, reachable: false, reason: 'signed-out', since: new Date(now).toISOString() });
