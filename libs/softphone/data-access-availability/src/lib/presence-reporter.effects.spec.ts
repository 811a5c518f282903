import { TestBed } from '@angular/core/testing';
import type { Action } from '@ngrx/store';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import type { PresenceCallQuality, PresenceDeviceState, PresenceLifecycle, PresenceReport, PresenceResponse } from '@switchboard/shared-contracts';
import { SessionEvents, type PageLifecycleEvent } from '@switchboard/softphone-data-access-voice';
import { Subject, VirtualTimeScheduler, of, throwError, type Observable } from 'rxjs';
import { PresenceReportEvents } from './availability.actions';
import type { PresencePage, PresencePort } from './availability.ports';
import { presenceReport, reportPresence, reportPresenceBeforeLeaving, selectPresenceCall, selectPresenceDevice } from './presence-reporter.effects';

const reachable: PresenceResponse = { identity: 'bob', reachable: true, reason: null, since: '2026-12-06T10:00:00.000Z' };

class FakePresencePort implements PresencePort {
  readonly reports: PresenceReport[] = [];
  readonly beforeLeaving: PresenceReport[] = [];
  failNext = false;
  report(report: PresenceReport): Observable<PresenceResponse> {
    this.reports.push(report);
    if (this.failNext) {
      this.failNext = false;
      return throwError(() => ({ message: 'Cannot reach the Switchboard server.', nextStep: 'Check your network connection and try again.' }));
    }
    return of(reachable);
  }
  reportBeforeLeaving(report: PresenceReport): void {
    this.beforeLeaving.push(report);
  }
}

class FakePresencePage implements PresencePage {
  readonly hides = new Subject<void>();
  readonly pageHides$ = this.hides.asObservable();
  current: 'active' | 'passive' | 'hidden' = 'active';
  visibility() {
    return this.current;
  }
}

describe('presence reporter', () => {
  let store: MockStore;
  let actions$: Subject<Action>;
  let pageEvents: Subject<PageLifecycleEvent>;
  let port: FakePresencePort;
  let page: FakePresencePage;
  let scheduler: VirtualTimeScheduler;
  let out: Action[];

  function setDevice(device: PresenceDeviceState, call: PresenceCallQuality | null = null): void {
    store.overrideSelector(selectPresenceDevice, device);
    store.overrideSelector(selectPresenceCall, call);
    store.refreshState();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideMockStore()] });
    store = TestBed.inject(MockStore);
    setDevice('registering');
    actions$ = new Subject();
    pageEvents = new Subject();
    port = new FakePresencePort();
    page = new FakePresencePage();
    // Time passes only when flushed; each flush runs up to maxFrames (virtual ms) and stops.
    scheduler = new VirtualTimeScheduler(undefined, 10_000);
    out = [];
    const pageLifecycle = { events$: pageEvents.asObservable(), unloadAttempts$: new Subject<never>() };
    TestBed.runInInjectionContext(() =>
      reportPresence(actions$, store, port, pageLifecycle, page, 'tab-abc12345', { heartbeatSeconds: 5 }, scheduler).subscribe((a) => out.push(a)),
    );
    TestBed.runInInjectionContext(() => reportPresenceBeforeLeaving(actions$, store, port, pageLifecycle, page, 'tab-abc12345').subscribe());
  });

  const lifecycles = () => port.reports.map((r) => `${r.device}/${r.lifecycle}`);

  it('reports nothing before sign-in; then at once, on each Device change and each page change', () => {
    pageEvents.next('visible');
    expect(port.reports).toEqual([]);
    actions$.next(SessionEvents.signedIn({ agent: { identity: 'bob', displayName: 'Bob' } }));
    expect(port.reports).toEqual([{ tabId: 'tab-abc12345', device: 'registering', lifecycle: 'active' }]);
    expect(out).toEqual([PresenceReportEvents.answered({ reachability: reachable })]);
    setDevice('registered');
    page.current = 'hidden';
    pageEvents.next('hidden');
    page.current = 'passive';
    pageEvents.next('resume');
    expect(lifecycles()).toEqual(['registering/active', 'registered/active', 'registered/hidden', 'registered/passive']);
  });

  it('beats every heartbeat while signed in, with the current call\'s MOS and warnings, and stops at sign-out', () => {
    actions$.next(SessionEvents.signedIn({ agent: { identity: 'bob', displayName: 'Bob' } }));
    setDevice('registered', { callSid: 'CA1', mos: 4.1, warnings: ['high-jitter'] });
    scheduler.flush(); // 10 s: two beats
    expect(port.reports.slice(-2)).toEqual([
      { tabId: 'tab-abc12345', device: 'registered', lifecycle: 'active', call: { callSid: 'CA1', mos: 4.1, warnings: ['high-jitter'] } },
      { tabId: 'tab-abc12345', device: 'registered', lifecycle: 'active', call: { callSid: 'CA1', mos: 4.1, warnings: ['high-jitter'] } },
    ]);
    expect(port.reports).toHaveLength(5); // sign-in, the Device registered, the call's start, two beats
    actions$.next(SessionEvents.signedOut());
    scheduler.maxFrames = 30_000;
    scheduler.flush();
    setDevice('destroyed');
    expect(port.reports).toHaveLength(5);
  });

  it('says when a report was not heard, and keeps reporting', () => {
    actions$.next(SessionEvents.signedIn({ agent: { identity: 'bob', displayName: 'Bob' } }));
    port.failNext = true;
    setDevice('registered');
    expect(out[1]).toEqual(PresenceReportEvents.failed({ problem: { message: 'Cannot reach the Switchboard server.', nextStep: 'Check your network connection and try again.' } }));
    scheduler.flush();
    expect(out.at(-1)).toEqual(PresenceReportEvents.answered({ reachability: reachable }));
  });

  it('sends a keepalive report, synchronously, on freeze (frozen) and pagehide (terminated), only while signed in', () => {
    pageEvents.next('freeze');
    expect(port.beforeLeaving).toEqual([]);
    actions$.next(SessionEvents.signedIn({ agent: { identity: 'bob', displayName: 'Bob' } }));
    setDevice('registered');
    const regular = port.reports.length;
    pageEvents.next('freeze');
    page.hides.next();
    const sent: PresenceLifecycle[] = port.beforeLeaving.map((r) => r.lifecycle);
    expect(sent).toEqual(['frozen', 'terminated']);
    expect(port.beforeLeaving[0]).toEqual({ tabId: 'tab-abc12345', device: 'registered', lifecycle: 'frozen' });
    // A freeze is not reported the ordinary way as well (that request would never be answered).
    expect(port.reports).toHaveLength(regular);
  });

  it('builds a report from the store as it is now', () => {
    setDevice('unregistered', { callSid: 'CA9', mos: null, warnings: [] });
    expect(presenceReport(store, 'tab-abc12345', 'hidden')).toEqual({ tabId: 'tab-abc12345', device: 'unregistered', lifecycle: 'hidden', call: { callSid: 'CA9', mos: null, warnings: [] } });
  });
});
