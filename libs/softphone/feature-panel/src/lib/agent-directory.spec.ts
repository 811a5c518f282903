import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideMockStore } from '@ngrx/store/testing';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { selectCallControlView, selectSoftphoneViewModel } from '@switchboard/softphone-data-access-voice';
import { DISPLAY_LOCALE } from '@switchboard/softphone-ui';
import { injectPartyNamer } from './agent-directory';
import { idleViewModel } from './testing-fixtures';

describe('injectPartyNamer', () => {
  it("names a supervisor's monitor call as the monitored agent's call, and colleagues by directory name", async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(), provideHttpClientTesting(), { provide: DISPLAY_LOCALE, useValue: 'en-US' },
        provideMockStore({
          selectors: [
            { selector: selectSoftphoneViewModel, value: idleViewModel() },
            { selector: selectCallControlView, value: { rejoinedCustomer: null, callId: null } },
          ],
        }),
      ],
    });
    const partyOf = TestBed.runInInjectionContext(() => injectPartyNamer());
    TestBed.inject(HttpTestingController).expectOne(API_ROUTES.agents).flush([{ identity: 'bob', displayName: 'Bob Brown' }]);
    await Promise.resolve();
    await Promise.resolve();
    expect(partyOf()('monitor:bob')).toEqual({ name: 'Bob Brown’s call', detail: null });
    expect(partyOf()('monitor:zed')).toEqual({ name: 'zed’s call', detail: null });
    expect(partyOf()('client:bob')).toEqual({ name: 'Bob Brown', detail: 'bob' });
  });
});
