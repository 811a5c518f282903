import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { Store, createSelector } from '@ngrx/store';
import type { PresenceCallQuality, PresenceDeviceState, PresenceLifecycle, PresenceReport } from '@switchboard/shared-contracts';
import type { ConnectionPhase } from '@switchboard/shared-voice-model';
import { PAGE_LIFECYCLE, callFeature, connectionFeature, qualityFeature, SessionEvents } from '@switchboard/softphone-data-access-voice';
import {
  asyncScheduler,
  catchError,
  concatMap,
  defer,
  distinctUntilChanged,
  filter,
  interval,
  map,
  merge,
  of,
  skip,
  switchMap,
  take,
  takeUntil,
  tap,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { PresenceReportEvents } from './availability.actions';
import { AVAILABILITY_STATE_CONFIG, PRESENCE_PAGE, PRESENCE_PORT, PRESENCE_TAB_ID, toAvailabilityProblem } from './availability.ports';

/** The Device as the API reads it: registering covers fetching a token; no Device (standby, gone) is destroyed. */
export const PRESENCE_DEVICE_BY_PHASE: Readonly<Record<ConnectionPhase, PresenceDeviceState>> = {
  'signed-out': 'destroyed',
  'fetching-token': 'registering',
  registering: 'registering',
  registered: 'registered',
  unregistered: 'unregistered',
  error: 'unregistered',
  destroyed: 'destroyed',
  standby: 'destroyed',
};

export const selectPresenceDevice = createSelector(connectionFeature.selectPhase, (phase): PresenceDeviceState => PRESENCE_DEVICE_BY_PHASE[phase]);

/** The call the agent is talking on, with its latest MOS and active warnings; null when idle or not yet connected. */
export const selectPresenceCall = createSelector(callFeature.selectActiveCall, qualityFeature.selectByCall, (call, byCall): PresenceCallQuality | null => {
  if (!call || call.callSid === null || call.connectedAt === null) return null;
  const quality = byCall[call.callId];
  const latest = quality && quality.samples.length > 0 ? quality.samples[quality.samples.length - 1] : null;
  return { callSid: call.callSid, mos: latest?.mos ?? null, warnings: quality?.activeWarnings ?? [] };
});

/** A call's start, end or a change of its warnings is worth a report at once; a new MOS waits for the heartbeat. */
function sameCallNews(a: PresenceCallQuality | null, b: PresenceCallQuality | null): boolean {
  return a?.callSid === b?.callSid && (a?.warnings ?? []).join() === (b?.warnings ?? []).join();
}

/** Store reads are synchronous: usable inside `freeze` / `pagehide`, where nothing later runs. */
function snapshot<T>(source: Observable<T>): T {
  let value!: T;
  source.pipe(take(1)).subscribe((v) => (value = v));
  return value;
}

/**
 * The presence reporter (issue 13, item 2): while signed in, `PUT /api/presence` at once on a change of the
 * Device's state, of the current call or of the page (visible, hidden, resumed, back online), and every
 * heartbeat otherwise. Reports go one after the other and are built when sent, so a queued one says what is
 * true then. Each answer is the agent's reachability as the API sees it.
 */
export const reportPresence = createEffect(
  (
    actions$ = inject(Actions),
    store = inject(Store),
    presence = inject(PRESENCE_PORT),
    pageLifecycle = inject(PAGE_LIFECYCLE),
    page = inject(PRESENCE_PAGE),
    tabId = inject(PRESENCE_TAB_ID),
    config = inject(AVAILABILITY_STATE_CONFIG),
    scheduler: SchedulerLike = asyncScheduler,
  ) => {
    const signedOut$ = actions$.pipe(ofType(SessionEvents.signedOut));
    const build = (): PresenceReport => presenceReport(store, tabId, page.visibility());
    return actions$.pipe(
      ofType(SessionEvents.signedIn),
      switchMap(() =>
        merge(
          store.select(selectPresenceDevice).pipe(distinctUntilChanged()),
          // Its first value is the sign-in's report already (the Device's first value triggers it).
          store.select(selectPresenceCall).pipe(distinctUntilChanged(sameCallNews), skip(1)),
          pageLifecycle.events$.pipe(filter((event) => event !== 'freeze' && event !== 'offline')),
          interval(config.heartbeatSeconds * 1000, scheduler),
        ).pipe(
          takeUntil(signedOut$),
          concatMap(() =>
            defer(() => presence.report(build())).pipe(
              map((reachability) => PresenceReportEvents.answered({ reachability })),
              catchError((error: unknown) => of(PresenceReportEvents.failed({ problem: toAvailabilityProblem(error) }))),
            ),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

/**
 * `freeze` (Chromium is about to stop this tab's timers) and `pagehide` (closing, reloading, leaving): the
 * last moment to tell the API, so the report goes as a keepalive request sent synchronously from the handler.
 */
export const reportPresenceBeforeLeaving = createEffect(
  (
    actions$ = inject(Actions),
    store = inject(Store),
    presence = inject(PRESENCE_PORT),
    pageLifecycle = inject(PAGE_LIFECYCLE),
    page = inject(PRESENCE_PAGE),
    tabId = inject(PRESENCE_TAB_ID),
  ) => {
    return actions$.pipe(
      ofType(SessionEvents.signedIn),
      switchMap(() =>
        merge(
          pageLifecycle.events$.pipe(
            filter((event) => event === 'freeze'),
            map((): PresenceLifecycle => 'frozen'),
          ),
          page.pageHides$.pipe(map((): PresenceLifecycle => 'terminated')),
        ).pipe(takeUntil(actions$.pipe(ofType(SessionEvents.signedOut)))),
      ),
      tap((lifecycle) => presence.reportBeforeLeaving(presenceReport(store, tabId, lifecycle))),
    );
  },
  { functional: true, dispatch: false },
);

export function presenceReport(store: Store, tabId: string, lifecycle: PresenceLifecycle): PresenceReport {
  const device = snapshot(store.select(selectPresenceDevice));
  const call = snapshot(store.select(selectPresenceCall));
  return call ? { tabId, device, lifecycle, call } : { tabId, device, lifecycle };
}

export const presenceReporterEffects = { reportPresence, reportPresenceBeforeLeaving };
