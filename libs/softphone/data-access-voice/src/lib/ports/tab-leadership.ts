import { InjectionToken } from '@angular/core';
import type { Observable } from 'rxjs';

/** Whether this tab has the phone (`leader`: it owns the Device) or another tab of the browser does. */
export type TabRole = 'leader' | 'follower';

/**
 * One phone per browser: two tabs that both register ring twice and race to answer (features.md
 * §2.4). The tabs elect one leader; the others wait, and take over when it closes or when the
 * agent asks.
 */
export interface TabLeadership {
  /** Joins the election while subscribed; unsubscribing leaves it (a leader lets the phone go). */
  readonly role$: Observable<TabRole>;
  /** Takes the phone from the tab that has it (that tab becomes a follower and waits). */
  takeOver(): void;
  /**
   * Joins the election now, before anyone subscribes to `role$` (the Sign in click, while the page
   * is idle during the sign-in request), so that the election on sign-in finds it decided. Held
   * until `role$` is subscribed (that subscriber then holds it) or `abandon()`. Optional: without
   * it the election starts when `role$` is subscribed.
   */
  prepare?(): void;
  /**
   * Leaves an election that only `prepare()` joined (sign-in failed), releasing the phone for the
   * other tabs; one that a subscriber of `role$` holds goes on.
   */
  abandon?(): void;
}

/** The Web Locks name every Switchboard tab of one origin competes for. */
export const PHONE_LOCK_NAME = 'switchboard-phone';

/** Provided by `provideBrowserAdapters()` (softphone-browser-adapters: Web Locks) or a test's fake. */
export const TAB_LEADERSHIP = new InjectionToken<TabLeadership>('TAB_LEADERSHIP');
