import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import {
  AvailabilityApiEvents,
  AvailabilityLiveEvents,
  AvailabilityMenuActions,
  availabilityFeature,
  initialOwnAvailabilityState,
} from '@switchboard/softphone-data-access-availability';
import type { AgentAvailability } from '@switchboard/shared-contracts';
import { AvailabilitySection } from './availability-section';

const loaded = (availability: AgentAvailability) =>
  [AvailabilityApiEvents.loadStarted(), AvailabilityApiEvents.loaded({
    response: { availability, awayReasons: [], dispositionCodes: [{ id: 'resolved', label: 'Resolved' }, { id: 'callback', label: 'Call back' }], wrapUpSeconds: 60 },
  })].reduce((s, a) => availabilityFeature.reducer(s, a), initialOwnAvailabilityState);

describe('AvailabilitySection', () => {
  let store: MockStore;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideMockStore({ initialState: { availability: initialOwnAvailabilityState } })] });
    store = TestBed.inject(MockStore);
  });

  it('shows nothing while available and reachable', async () => {
    store.setState({ availability: loaded({ identity: 'bob', state: 'available', reason: null, since: new Date().toISOString() }) });
    const fixture = TestBed.createComponent(AvailabilitySection);
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).textContent?.trim()).toBe('');
  });

  it('in wrap-up, sends the disposition and the note with Done', async () => {
    store.setState({
      availability: loaded({ identity: 'bob', state: 'wrap-up', reason: null, since: new Date().toISOString(), wrapUp: { callSid: 'CA1', endsAt: new Date(Date.now() + 45_000).toISOString() } }),
    });
    const fixture = TestBed.createComponent(AvailabilitySection);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const dispatch = jest.spyOn(store, 'dispatch');
    const done = await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=wrap-up-done]' }));
    expect(await done.isDisabled()).toBe(true); // a disposition is required
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid=wrap-up-countdown]')?.textContent).toMatch(/Ends by itself in 0:4\d/);
    await (await loader.getHarness(MatSelectHarness)).clickOptions({ text: 'Call back' });
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=wrap-up-note]' }))).setValue('  Wants a refund  ');
    await done.click();
    expect(dispatch).toHaveBeenLastCalledWith(AvailabilityMenuActions.wrapUpDone({ disposition: 'callback', note: 'Wants a refund' }));
  });

  it('shows the banner while the phone cannot ring, in words with what to do', async () => {
    store.setState({
      availability: availabilityFeature.reducer(
        loaded({ identity: 'bob', state: 'available', reason: null, since: new Date().toISOString() }),
        AvailabilityLiveEvents.reachabilityChanged({ reachability: { identity: 'bob', reachable: false, reason: 'tab-frozen', since: new Date().toISOString() } }),
      ),
    });
    const fixture = TestBed.createComponent(AvailabilitySection);
    await fixture.whenStable();
    const banner = (fixture.nativeElement as HTMLElement).querySelector('[data-testid=unreachable-banner] .text');
    expect(banner?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Your phone cannot ring: Tab frozen by the browser — Bring this tab to the front. Keep Switchboard in a window of its own so the browser does not freeze it.',
    );
  });
});
