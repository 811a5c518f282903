import { BehaviorSubject, EMPTY, Observable, Subject, of } from 'rxjs';
import type { DesktopNotificationPermission, DesktopNotificationRequest, DesktopNotifications } from '../ports/desktop-notifications';
import type { DocumentTitle, TabVisibility } from '../ports/document-title';

/** One notification the fake showed: open until the effect unsubscribes; `click()` plays the agent's click. */
export interface FakeShownNotification {
  readonly request: DesktopNotificationRequest;
  isOpen: boolean;
  click(): void;
}

/** DesktopNotifications without a browser: records what was shown and asked; the answer is the test's. */
export class FakeDesktopNotifications implements DesktopNotifications {
  readonly shown: FakeShownNotification[] = [];
  requestCount = 0;
  readonly permissionChanges$ = new Subject<DesktopNotificationPermission>();

  constructor(
    public current: DesktopNotificationPermission = 'granted',
    private readonly answer: () => Observable<DesktopNotificationPermission> = () => of('granted'),
  ) {}

  permission(): DesktopNotificationPermission {
    return this.current;
  }
  permissionChanges(): Observable<DesktopNotificationPermission> {
    return this.permissionChanges$;
  }
  requestPermission(): Observable<DesktopNotificationPermission> {
    this.requestCount += 1;
    return this.answer();
  }
  show(request: DesktopNotificationRequest): Observable<'clicked'> {
    if (this.current !== 'granted') return EMPTY;
    return new Observable<'clicked'>((subscriber) => {
      const notification: FakeShownNotification = { request, isOpen: true, click: () => subscriber.next('clicked') };
      this.shown.push(notification);
      return () => {
        notification.isOpen = false;
      };
    });
  }

  get open(): readonly FakeShownNotification[] {
    return this.shown.filter((n) => n.isOpen);
  }
}

/** DocumentTitle over plain fields: `setVisibility` plays the browser's visibilitychange; `written` records each title. */
export class FakeDocumentTitle implements DocumentTitle {
  readonly written: string[] = [];
  private readonly visibility = new BehaviorSubject<TabVisibility>('visible');
  readonly visibility$ = this.visibility.asObservable();

  constructor(public title = 'Switchboard') {}

  setVisibility(visibility: TabVisibility): void {
    this.visibility.next(visibility);
  }
  read(): string {
    return this.title;
  }
  write(title: string): void {
    this.title = title;
    this.written.push(title);
  }
}
