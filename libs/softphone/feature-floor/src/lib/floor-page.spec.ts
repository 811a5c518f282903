import { LiveAnnouncer } from '@angular/cdk/a11y';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import { API_ROUTES, MONITOR_PARAMS, type LiveEvent } from '@switchboard/shared-contracts';
import { LiveEventsClient } from '@switchboard/softphone-data-access-api';
import {
  MonitorEvents,
  SoftphonePanelActions,
  selectSoftphoneViewModel,
  toStatusView,
  type CallView,
  type SoftphoneViewModel,
} from '@switchboard/softphone-data-access-voice';
import { Subject } from 'rxjs';
import { agent, snapshot } from './floor-fixtures';
import { FloorPage } from './floor-page';

const AWAY_REASONS = [{ id: 'break', label: 'Break' }, { id: 'meeting', label: 'Meeting' }];

function phone(patch: Partial<SoftphoneViewModel> = {}): SoftphoneViewModel {
  return {
    status: toStatusView('registered', null, null),
    agent: { identity: 'sam', displayName: 'Sam Supervisor' },
    microphone: { permission: 'granted', guidance: null },
    canDial: true,
    dialDisabledReason: null,
    activeCall: null,
    incomingCall: null,
    waitingCall: null,
    endedCall: null,
    quality: null,
    deviceNotice: null,
    ...patch,
  };
}

function monitorCall(mode: 'listen' | 'whisper' | 'barge'): CallView {
  return {
    callId: 'm1', direction: 'outgoing', phase: 'open', remote: 'monitor:bob', callSid: 'CA-sam',
    customParameters: { [MONITOR_PARAMS.callSid]: 'CA-customer', [MONITOR_PARAMS.mode]: mode },
    isCallerVerified: null, isMuted: false, isWaiting: false, connectedAt: Date.now(), reconnectingSince: null, canControl: true,
    monitor: { customerCallSid: 'CA-customer', agentIdentity: 'bob', mode },
  };
}

describe('FloorPage', () => {
  let http: HttpTestingController;
  let events: Subject<LiveEvent>;
  let store: MockStore;
  let announced: string[];

  beforeEach(() => {
    events = new Subject<LiveEvent>();
    announced = [];
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(), provideHttpClientTesting(),
        provideMockStore({ selectors: [{ selector: selectSoftphoneViewModel, value: phone() }] }),
        { provide: LiveEventsClient, useValue: { events$: events } },
        { provide: LiveAnnouncer, useValue: { announce: (text: string) => { announced.push(text); return Promise.resolve(); } } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(MockStore);
    jest.spyOn(store, 'dispatch');
  });
  afterEach(() => http.verify());

  async function settle(fixture: ComponentFixture<FloorPage>): Promise<void> {
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await fixture.whenStable();
  }

  async function loadedPage(): Promise<ComponentFixture<FloorPage>> {
    const fixture = TestBed.createComponent(FloorPage);
    fixture.detectChanges();
    http.expectOne(API_ROUTES.availability).flush({ availability: {}, awayReasons: AWAY_REASONS, dispositionCodes: [], wrapUpSeconds: 0 });
    http.expectOne(API_ROUTES.floor).flush(snapshot());
    await settle(fixture);
    return fixture;
  }

  const rowOf = (fixture: ComponentFixture<FloorPage>, identity: string): HTMLElement =>
    fixture.nativeElement.querySelector(`[data-testid=floor-agent-row][data-identity=${identity}]`);

  it('says it is loading, then shows every agent in a table with column and row headers', async () => {
    const fixture = TestBed.createComponent(FloorPage);
    fixture.detectChanges();
    expect(fixture.nativeElement.querySelector('[data-testid=floor-loading]').textContent).toContain('Loading the team floor');
    http.expectOne(API_ROUTES.availability).flush({ availability: {}, awayReasons: AWAY_REASONS, dispositionCodes: [], wrapUpSeconds: 0 });
    http.expectOne(API_ROUTES.floor).flush(snapshot());
    await settle(fixture);
    const table: HTMLTableElement = fixture.nativeElement.querySelector('[data-testid=floor-agents]');
    expect(table.caption?.textContent).toContain('Agents (2)');
    expect([...table.querySelectorAll('thead th')].map((th) => th.getAttribute('scope'))).toEqual(['col', 'col', 'col', 'col', 'col']);
    expect(rowOf(fixture, 'alice').querySelector('th[scope=row]')?.textContent).toContain('Alice Adams');
    expect(rowOf(fixture, 'alice').querySelector('[data-testid=agent-state]')?.textContent).toContain('Available');
    expect(rowOf(fixture, 'bob').querySelector('[data-testid=agent-call]')?.textContent).toContain('+14155550188');
    expect(rowOf(fixture, 'bob').querySelector('[data-testid=agent-call-quality]')?.textContent).toContain('MOS 4.3');
    expect(fixture.nativeElement.querySelector('[data-testid=count-answered]').textContent).toBe('3');
    expect(fixture.nativeElement.querySelector('[data-testid=queue-empty]')).not.toBeNull();
  });

  it('says what to do when the board cannot be loaded, and loads it on Try again', async () => {
    const fixture = TestBed.createComponent(FloorPage);
    fixture.detectChanges();
    http.expectOne(API_ROUTES.availability).flush({ availability: {}, awayReasons: [], dispositionCodes: [], wrapUpSeconds: 0 });
    http.expectOne(API_ROUTES.floor).flush(null, { status: 0, statusText: 'Unknown Error' });
    await settle(fixture);
    const problem: HTMLElement = fixture.nativeElement.querySelector('[data-testid=floor-error]');
    expect(problem.getAttribute('role')).toBe('alert');
    expect(problem.textContent).toContain('Check your network connection');
    (fixture.nativeElement.querySelector('[data-testid=floor-retry]') as HTMLButtonElement).click();
    http.expectOne(API_ROUTES.floor).flush(snapshot());
    await settle(fixture);
    expect(rowOf(fixture, 'alice')).not.toBeNull();
  });

  it('applies live changes and announces an agent who became unreachable', async () => {
    const fixture = await loadedPage();
    events.next({
      id: 'e1', type: 'agent.reachability', at: '2026-12-06T10:00:05.000Z',
      data: { identity: 'alice', reachable: false, reason: 'tab-frozen', since: '2026-12-06T10:00:05.000Z' },
    });
    await settle(fixture);
    expect(rowOf(fixture, 'alice').querySelector('[data-testid=agent-reachability]')?.textContent).toContain('Unreachable: Tab frozen by the browser');
    expect(announced).toEqual(['Alice Adams became unreachable: Tab frozen by the browser.']);
  });

  it("sets an agent's state over the API", async () => {
    const fixture = await loadedPage();
    rowOf(fixture, 'alice').querySelector<HTMLButtonElement>('[data-testid=set-state-button]')?.click();
    await settle(fixture);
    (document.querySelector('[data-testid=state-option-available]') as HTMLButtonElement).click();
    const put = http.expectOne(API_ROUTES.agentAvailability('alice'));
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ state: 'available' });
    put.flush(agent('alice', 'Alice Adams').availability);
    await settle(fixture);
    expect(announced).toContain('Alice Adams set to Available. They are told.');
  });

  it("listens to a customer call through the phone's dial, with the monitor parameters", async () => {
    const fixture = await loadedPage();
    expect(rowOf(fixture, 'alice').querySelector('[data-testid=listen-button]')).toBeNull(); // no call, nothing to listen to
    const listen = rowOf(fixture, 'bob').querySelector<HTMLButtonElement>('[data-testid=listen-button]');
    expect(listen?.getAttribute('aria-label')).toBe('Listen to Bob Brown’s call');
    listen?.click();
    expect(store.dispatch).toHaveBeenCalledWith(
      SoftphonePanelActions.dialSubmitted({ to: 'monitor:bob', params: { [MONITOR_PARAMS.callSid]: 'CA-customer', [MONITOR_PARAMS.mode]: 'listen' } }),
    );
  });

  it('shows the monitor call with the pressed mode, changes it over the API, and leaves by hanging up', async () => {
    const fixture = await loadedPage();
    store.overrideSelector(selectSoftphoneViewModel, phone({ activeCall: monitorCall('listen') }));
    store.refreshState();
    await settle(fixture);
    const bar: HTMLElement = fixture.nativeElement.querySelector('[data-testid=monitor-bar]');
    expect(bar.querySelector('[data-testid=monitor-heading]')?.textContent).toBe('Listening to Bob Brown’s call');
    expect(bar.querySelector('[data-testid=monitor-mode-listen]')?.getAttribute('aria-pressed')).toBe('true');
    expect(bar.querySelector('[data-testid=monitor-mode-whisper]')?.getAttribute('aria-pressed')).toBe('false');
    expect(rowOf(fixture, 'bob').querySelector('[data-testid=agent-monitored]')).not.toBeNull();

    bar.querySelector<HTMLButtonElement>('[data-testid=monitor-mode-whisper]')?.click();
    const put = http.expectOne(API_ROUTES.monitor('CA-customer'));
    expect(put.request.body).toEqual({ mode: 'whisper' });
    put.flush({ customerCallSid: 'CA-customer', supervisor: 'sam', callSid: 'CA-sam', mode: 'whisper' });
    await settle(fixture);
    expect(store.dispatch).toHaveBeenCalledWith(MonitorEvents.modeChanged({ callId: 'm1', mode: 'whisper' }));

    bar.querySelector<HTMLButtonElement>('[data-testid=monitor-leave]')?.click();
    expect(store.dispatch).toHaveBeenCalledWith(SoftphonePanelActions.hangUpClicked({ callId: 'm1' }));
  });

  it('says why a mode change failed and keeps the mode', async () => {
    const fixture = await loadedPage();
    store.overrideSelector(selectSoftphoneViewModel, phone({ activeCall: monitorCall('listen') }));
    store.refreshState();
    await settle(fixture);
    fixture.nativeElement.querySelector('[data-testid=monitor-mode-barge]').click();
    http.expectOne(API_ROUTES.monitor('CA-customer')).flush(
      { statusCode: 410, error: 'Gone', message: 'The call has ended.' }, { status: 410, statusText: 'Gone' });
    await settle(fixture);
    expect(fixture.nativeElement.querySelector('[data-testid=monitor-error]').textContent).toContain('The call has ended.');
    expect(store.dispatch).not.toHaveBeenCalledWith(expect.objectContaining({ type: MonitorEvents.modeChanged.type }));
  });

  it('disables Listen with the reason while the phone cannot place calls', async () => {
    store.overrideSelector(selectSoftphoneViewModel, phone({ canDial: false, dialDisabledReason: 'Allow microphone access.' }));
    const fixture = await loadedPage();
    const listen = rowOf(fixture, 'bob').querySelector<HTMLButtonElement>('[data-testid=listen-button]');
    expect(listen?.disabled).toBe(true);
    expect(listen?.getAttribute('title')).toBe('Allow microphone access.');
  });

  it('disables Listen while the supervisor is on an ordinary call', async () => {
    const ordinary = { ...monitorCall('listen'), remote: 'client:alice', customParameters: {}, monitor: null };
    store.overrideSelector(selectSoftphoneViewModel, phone({ activeCall: ordinary }));
    const fixture = await loadedPage();
    const listen = rowOf(fixture, 'bob').querySelector<HTMLButtonElement>('[data-testid=listen-button]');
    expect(listen?.disabled).toBe(true);
    expect(listen?.getAttribute('title')).toBe('You are on a call. Hang up to listen to another call.');
    expect(fixture.nativeElement.querySelector('[data-testid=monitor-bar]')).toBeNull();
  });
});
