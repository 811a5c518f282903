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
}

/** The Web Locks name every Switchboard tab of one origin competes for. */
export const PHONE_LOCK_NAME = 'switchboard-phone';

/** Provided by `provideBrowserAdapters()` (softphone-browser-adapters: Web Locks) or a test's fake. */
export const TAB_LEADERSHIP = new InjectionToken<TabLeadership>('TAB_LEADERSHIP');
