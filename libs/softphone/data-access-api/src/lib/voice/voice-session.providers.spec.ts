import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { SessionEvents, VOICE_TOKEN_SOURCE } from '@switchboard/softphone-data-access-voice';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../session/session.store';
import { provideVoiceSession } from './voice-session.providers';

describe('provideVoiceSession', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideMockStore(), provideVoiceSession()],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('issues voice tokens over HTTP', async () => {
    const token = firstValueFrom(TestBed.inject(VOICE_TOKEN_SOURCE).issue());
    http.expectOne(API_ROUTES.voice.token).flush({ token: 'jwt', identity: 'alice', expiresAt: '2026-11-24T13:00:00.000Z' });
    await expect(token).resolves.toMatchObject({ token: 'jwt' });
  });

  it('dispatches signedIn after sign-in (the phone connects) and signedOut after sign-out, and loads voicemail', async () => {
    const store = TestBed.inject(MockStore);
    const dispatch = jest.spyOn(store, 'dispatch');
    const session = TestBed.inject(SessionStore);

    const signIn = session.signIn({ identity: 'alice', password: 'pw' });
    http.expectOne(API_ROUTES.auth.login).flush({ identity: 'alice', displayName: 'Alice', role: 'agent' });
    await signIn;
    expect(dispatch).toHaveBeenCalledWith(SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }));
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [], unheard: 0 });

    const signOut = session.signOut();
    http.expectOne(API_ROUTES.auth.logout).flush(null);
    await signOut;
    expect(dispatch).toHaveBeenLastCalledWith(SessionEvents.signedOut());
  });
});
