import type { DesktopNotificationPermission, DesktopNotificationRequest, DesktopNotifications } from '@switchboard/softphone-data-access-voice';
import { EMPTY, Observable, catchError, defer, from, fromEvent, map, of, switchMap } from 'rxjs';

/** The parts of `window` this adapter touches; tests pass a fake. */
export interface NotificationWindow {
  readonly Notification?: {
    readonly permission: NotificationPermission;
    requestPermission(): Promise<NotificationPermission>;
    new (title: string, options?: NotificationOptions): Notification;
  };
  readonly navigator: { readonly permissions?: Pick<Permissions, 'query'> };
  focus(): void;
}

function toPermission(permission: NotificationPermission | PermissionState): DesktopNotificationPermission {
  if (permission === 'granted') return 'granted';
  if (permission === 'denied') return 'denied';
  return 'not-asked';
}

/**
 * The browser's Notification API. Pages may construct notifications where `window.Notification` exists
 * (desktop Chromium, Firefox, Safari); Chrome on Android throws on `new Notification()` (it needs a
 * service worker), which shows as nothing shown rather than an error.
 */
// Not an @Injectable: the window is a constructor argument so specs pass a fake; provideBrowserAdapters builds it.
export class BrowserDesktopNotifications implements DesktopNotifications {
  constructor(private readonly window: NotificationWindow | null) {}

  private get api(): NotificationWindow['Notification'] | null {
    return typeof this.window?.Notification === 'function' ? this.window.Notification : null;
  }

  permission(): DesktopNotificationPermission {
    const api = this.api;
    return api ? toPermission(api.permission) : 'unsupported';
  }

  permissionChanges(): Observable<DesktopNotificationPermission> {
    const permissions = this.window?.navigator.permissions;
    if (!this.api || !permissions) return EMPTY;
    return defer(() => from(permissions.query({ name: 'notifications' }))).pipe(
      switchMap((status) => fromEvent(status, 'change').pipe(map(() => toPermission(status.state)))),
      // Browsers whose Permissions API does not know 'notifications' reject the query: nothing to follow.
      catchError(() => EMPTY),
    );
  }

  requestPermission(): Observable<DesktopNotificationPermission> {
    const api = this.api;
    if (!api) return of('unsupported');
    return defer(() => from(api.requestPermission())).pipe(
      map(toPermission),
      catchError(() => of(this.permission())),
    );
  }

  show(request: DesktopNotificationRequest): Observable<'clicked'> {
    return new Observable<'clicked'>((subscriber) => {
      const api = this.api;
      if (!api || api.permission !== 'granted') return undefined;
      let notification: Notification;
      try {
        // requireInteraction: it stays up while the call rings, instead of fading after a few seconds.
        notification = new api(request.title, { body: request.body, tag: request.tag, requireInteraction: true });
      } catch {
        return undefined;
      }
      notification.onclick = () => {
        this.window?.focus();
        subscriber.next('clicked');
      };
      return () => {
        notification.onclick = null;
        notification.close();
      };
    });
  }
}
