import { LiveAnnouncer } from '@angular/cdk/a11y';
import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatMenuHarness } from '@angular/material/menu/testing';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import type { AgentAvailability } from '@switchboard/shared-contracts';
import {
  AvailabilityApiEvents,
  AvailabilityLiveEvents,
  AvailabilityMenuActions,
  availabilityFeature,
  initialOwnAvailabilityState,
  type OwnAvailabilityState,
} from '@switchboard/softphone-data-access-availability';
import { AvailabilityStatus } from './availability-status';

const since = new Date(Date.now() - 65_000).toISOString();
const own = (patch: Partial<AgentAvailability> = {}): AgentAvailability => ({ identity: 'bob', state: 'available', reason: null, since, ...patch });

function stateAfter(...actions: Parameters<typeof availabilityFeature.reducer>[1][]): OwnAvailabilityState {
  return actions.reduce((s, a) => availabilityFeature.reducer(s, a), initialOwnAvailabilityState);
}

const loaded = (availability: AgentAvailability) =>
  stateAfter(
    AvailabilityApiEvents.loadStarted(),
    AvailabilityApiEvents.loaded({ response: { availability, awayReasons: [{ id: 'break', label: 'Break' }, { id: 'lunch', label: 'Lunch' }], dispositionCodes: [], wrapUpSeconds: 30 } }),
  );

describe('AvailabilityStatus', () => {
  let store: MockStore;
  let announce: jest.SpyInstance;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideMockStore({ initialState: { availability: loaded(own()) } }), provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(MockStore);
    announce = jest.spyOn(TestBed.inject(LiveAnnouncer), 'announce').mockResolvedValue();
  });

  async function render() {
    const fixture = TestBed.createComponent(AvailabilityStatus);
    await fixture.whenStable();
    return { fixture, loader: TestbedHarnessEnvironment.documentRootLoader(fixture), element: fixture.nativeElement as HTMLElement };
  }

  it('shows the state with the time in it, and sends Available or Away with a reason from the menu', async () => {
    store.setState({ availability: loaded(own({ state: 'away', reason: 'break' })) });
    const { element, loader } = await render();
    expect(element.querySelector('[data-testid=availability-label]')?.textContent).toBe('Away: Break');
    expect(element.querySelector('[data-testid=availability-elapsed]')?.textContent).toMatch(/^1:0\d$/);
    const dispatch = jest.spyOn(store, 'dispatch');
    const menu = await loader.getHarness(MatMenuHarness.with({ selector: '[data-testid=status-menu-button]' }));
    await menu.clickItem({ text: /Away/ }, { text: /Lunch/ });
    expect(dispatch).toHaveBeenLastCalledWith(AvailabilityMenuActions.awayChosen({ reason: 'lunch' }));
    await menu.clickItem({ text: /Available/ });
    expect(dispatch).toHaveBeenLastCalledWith(AvailabilityMenuActions.availableChosen());
  });

  it('disables the choices on a call, saying why', async () => {
    store.setState({ availability: loaded(own({ state: 'on-call' })) });
    const { loader } = await render();
    const menu = await loader.getHarness(MatMenuHarness.with({ selector: '[data-testid=status-menu-button]' }));
    await menu.open();
    const items = await menu.getItems();
    expect(await Promise.all(items.map((item) => item.isDisabled()))).toEqual([true, true]);
    expect(document.querySelector('[data-testid=status-hint]')?.textContent).toMatch(/on a call/);
  });

  it('opens the menu with Alt+S', async () => {
    const { loader } = await render();
    const event = new KeyboardEvent('keydown', { code: 'KeyS', key: 's', altKey: true, bubbles: true, cancelable: true });
    document.body.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    const menu = await loader.getHarness(MatMenuHarness.with({ selector: '[data-testid=status-menu-button]' }));
    expect(await menu.isOpen()).toBe(true);
  });

  it('announces a supervisor\'s change by name, and the phone becoming unable to ring', async () => {
    const { fixture } = await render();
    const base = loaded(own());
    store.setState({
      availability: availabilityFeature.reducer(
        availabilityFeature.reducer(base, AvailabilityApiEvents.loaded({ response: { availability: own({ state: 'away', reason: 'break', since: new Date().toISOString() }), awayReasons: base.awayReasons, dispositionCodes: [], wrapUpSeconds: 30 } })),
        AvailabilityLiveEvents.availabilityChanged({ event: { availability: own({ since: new Date(Date.now() + 1000).toISOString() }), previous: 'away', by: { kind: 'supervisor', identity: 'sam' } } }),
      ),
    });
    await fixture.whenStable();
    expect(announce).toHaveBeenLastCalledWith('sam set you to Available.', 'assertive');
    store.setState({
      availability: availabilityFeature.reducer(loaded(own()), AvailabilityLiveEvents.reachabilityChanged({ reachability: { identity: 'bob', reachable: false, reason: 'heartbeat-missed', since: new Date().toISOString() } })),
    });
    await fixture.whenStable();
    expect(announce).toHaveBeenLastCalledWith(expect.stringMatching(/^Your phone cannot ring: Softphone stopped responding\. Check your network/), 'assertive');
  });
});
