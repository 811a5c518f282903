import { InjectionToken } from '@angular/core';
import type { Observable } from 'rxjs';

/**
 * The browser's notification permission in the agent's words: `not-asked` is the browser's `default`;
 * `unsupported` where there is no Notification API (or not in a secure context).
 */
export type DesktopNotificationPermission = 'not-asked' | 'granted' | 'denied' | 'unsupported';

export interface DesktopNotificationRequest {
  readonly title: string;
  readonly body: string;
  /** One notification per tag: showing the same tag again replaces it instead of adding a second one. */
  readonly tag: string;
}

/**
 * Desktop notifications for calls that ring while the softphone's tab is out of sight (issue 13,
 * item 2). Permission is only ever asked from the agent's click in Settings, never on page load.
 */
export interface DesktopNotifications {
  /** What the browser says now. */
  permission(): DesktopNotificationPermission;
  /** Later changes made in the browser's site settings; completes at once where they are not reported. */
  permissionChanges(): Observable<DesktopNotificationPermission>;
  /**
   * Asks the browser (it needs the click's user activation, so call it while the click is handled).
   * Emits the answer once, then completes; never errors.
   */
  requestPermission(): Observable<DesktopNotificationPermission>;
  /**
   * Shows the notification while subscribed; unsubscribing closes it. A click brings the softphone's
   * window to the front and is emitted. Emits nothing (and shows nothing) without permission.
   */
  show(request: DesktopNotificationRequest): Observable<'clicked'>;
}

/** Provided by `provideBrowserAdapters()` (softphone-browser-adapters: window.Notification) or a test's fake. */
export const DESKTOP_NOTIFICATIONS = new InjectionToken<DesktopNotifications>('DESKTOP_NOTIFICATIONS');
