import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import type { CallId } from '@switchboard/shared-voice-model';
import {
  EMPTY,
  Observable,
  asyncScheduler,
  combineLatest,
  concat,
  distinctUntilChanged,
  exhaustMap,
  filter,
  first,
  interval,
  map,
  mergeMap,
  of,
  switchMap,
  take,
  takeUntil,
  type SchedulerLike,
} from 'rxjs';
import { callFeature, type CallEntry } from '../call/call.feature';
import { CallSdkEvents } from '../call/call-sdk.actions';
import { DESKTOP_NOTIFICATIONS, type DesktopNotificationRequest } from '../ports/desktop-notifications';
import { DOCUMENT_TITLE, type DocumentTitle } from '../ports/document-title';
import { SessionEvents } from '../session.actions';
import { DesktopNotificationEvents, DesktopNotificationSettingsActions } from './ringing-alerts.actions';

/** How long the tab title shows each of its two texts while a call rings in a hidden tab. */
export const TITLE_FLASH_PERIOD_MS = 1000;

/**
 * `client:bob` → `bob`; a number as the SDK gave it (E.164, which reads unambiguously in a notification).
 * Not formatted with util-phone: its metadata would enter the initial bundle through the voice state.
 */
export function callerText(remote: string): string {
  if (remote.startsWith('client:')) return remote.slice('client:'.length);
  return remote || 'an unknown caller';
}

/** The notification of one ringing call; tagged by the call so a second show replaces instead of adding. */
export function ringingCallNotification(call: Pick<CallEntry, 'callId' | 'callSid' | 'remote'>): DesktopNotificationRequest {
  const caller = callerText(call.remote);
  return {
    title: `Incoming call from ${caller}`,
    body: `Incoming call from ${caller}. Open Switchboard to answer.`,
    tag: `switchboard-incoming-${call.callSid ?? call.callId}`,
  };
}

export const incomingCallTitle = (caller: string): string => `Incoming call — ${caller}`;

const isRinging = (call: CallEntry | undefined): boolean => call?.direction === 'incoming' && call.phase === 'pending';

/** The browser's notification permission, read at sign-in and followed while signed in. */
export const readNotificationPermission = createEffect(
  (actions$ = inject(Actions), notifications = inject(DESKTOP_NOTIFICATIONS, { optional: true })) => {
    return actions$.pipe(
      ofType(SessionEvents.signedIn),
      switchMap(() => {
        if (!notifications) return of(DesktopNotificationEvents.permissionRead({ permission: 'unsupported' }));
        return concat(of(notifications.permission()), notifications.permissionChanges()).pipe(
          distinctUntilChanged(),
          map((permission) => DesktopNotificationEvents.permissionRead({ permission })),
          takeUntil(actions$.pipe(ofType(SessionEvents.signedOut))),
        );
      }),
    );
  },
  { functional: true },
);

/** Asked only from the Settings button (never on load); a second click while the prompt is open is ignored. */
export const askNotificationPermission = createEffect(
  (actions$ = inject(Actions), notifications = inject(DESKTOP_NOTIFICATIONS, { optional: true })) => {
    return actions$.pipe(
      ofType(DesktopNotificationSettingsActions.enableClicked),
      exhaustMap(() =>
        (notifications ? notifications.requestPermission() : of('unsupported' as const)).pipe(
          take(1),
          map((permission) => DesktopNotificationEvents.permissionAnswered({ permission })),
        ),
      ),
    );
  },
  { functional: true },
);

/**
 * A call that rings while the tab is hidden (or becomes hidden while it rings) shows one desktop
 * notification, closed when the call stops ringing: answered, declined, ignored or cancelled by the caller.
 */
export const notifyCallRingingWhileHidden = createEffect(
  (
    actions$ = inject(Actions),
    store = inject(Store),
    notifications = inject(DESKTOP_NOTIFICATIONS, { optional: true }),
    documentTitle = inject(DOCUMENT_TITLE, { optional: true }),
  ) => {
    if (!notifications || !documentTitle) return EMPTY;
    return actions$.pipe(
      ofType(CallSdkEvents.incomingReceived),
      mergeMap(({ call }) => {
        const callId: CallId = call.callId;
        const stoppedRinging$ = store.select(callFeature.selectCalls).pipe(filter((calls) => !isRinging(calls[callId])));
        return store.select(callFeature.selectCalls).pipe(
          first(),
          filter((calls) => isRinging(calls[callId])),
          switchMap((calls) => {
            const request = ringingCallNotification(calls[callId]);
            return documentTitle.visibility$.pipe(
              first((visibility) => visibility === 'hidden'),
              // Once per call: coming back to the tab and leaving again does not show a second one.
              switchMap(() => notifications.show(request)),
            );
          }),
          map(() => DesktopNotificationEvents.clicked({ callId })),
          takeUntil(stoppedRinging$),
        );
      }),
    );
  },
  { functional: true },
);

/** Alternates the title with the ringing call's text until unsubscribed, then puts the page's title back. */
export function flashTitle(documentTitle: DocumentTitle, alert: string, periodMs: number, scheduler: SchedulerLike): Observable<never> {
  return new Observable<never>(() => {
    const original = documentTitle.read();
    documentTitle.write(alert);
    const flashing = interval(periodMs, scheduler).subscribe((tick) => documentTitle.write(tick % 2 === 0 ? original : alert));
    return () => {
      flashing.unsubscribe();
      documentTitle.write(original);
    };
  });
}

/**
 * While a call rings and the tab is hidden, the tab title flashes "Incoming call — <caller>" (the newest
 * ringing call). It stops, and the title is restored, when no call rings any more or the tab is visible.
 */
export const flashTitleWhileRinging = createEffect(
  (
    store = inject(Store),
    documentTitle = inject(DOCUMENT_TITLE, { optional: true }),
    periodMs = TITLE_FLASH_PERIOD_MS,
    scheduler: SchedulerLike = asyncScheduler,
  ) => {
    if (!documentTitle) return EMPTY;
    const ringingCaller$ = store.select(callFeature.selectCallList).pipe(
      map((calls) => calls.filter(isRinging).at(-1)),
      map((call) => (call ? callerText(call.remote) : null)),
      distinctUntilChanged(),
    );
    return combineLatest([ringingCaller$, documentTitle.visibility$.pipe(distinctUntilChanged())]).pipe(
      switchMap(([caller, visibility]) =>
        caller !== null && visibility === 'hidden' ? flashTitle(documentTitle, incomingCallTitle(caller), periodMs, scheduler) : EMPTY,
      ),
    );
  },
  { functional: true, dispatch: false },
);

export const ringingAlertsEffects = {
  readNotificationPermission,
  askNotificationPermission,
  notifyCallRingingWhileHidden,
  flashTitleWhileRinging,
};
