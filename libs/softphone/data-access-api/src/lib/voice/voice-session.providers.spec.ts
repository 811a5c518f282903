import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import { API_ROUTES } from '@switchboard/shared-contracts';
import {
  MICROPHONE_ACCESS,
  NUMBER_POLICY_CHECK,
  SessionEvents,
  TAB_LEADERSHIP,
  VOICE_TOKEN_SOURCE,
  type MicrophoneAccess,
  type TabLeadership,
} from '@switchboard/softphone-data-access-voice';
import { EMPTY, firstValueFrom } from 'rxjs';
import { SessionStore } from '../session/session.store';
import { provideVoiceSession } from './voice-session.providers';

describe('provideVoiceSession', () => {
  let http: HttpTestingController;
  let microphone: { check: jest.Mock; permissionChanges: () => typeof EMPTY; prepare: jest.Mock; discardPrepared: jest.Mock };
  let leadership: { role$: typeof EMPTY; takeOver: jest.Mock; prepare: jest.Mock; abandon: jest.Mock };

  beforeEach(() => {
    microphone = { check: jest.fn(), permissionChanges: () => EMPTY, prepare: jest.fn(), discardPrepared: jest.fn() };
    leadership = { role$: EMPTY, takeOver: jest.fn(), prepare: jest.fn(), abandon: jest.fn() };
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideMockStore(),
        provideVoiceSession(),
        { provide: MICROPHONE_ACCESS, useValue: microphone satisfies MicrophoneAccess },
        { provide: TAB_LEADERSHIP, useValue: leadership satisfies TabLeadership },
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('issues voice tokens over HTTP', async () => {
    const token = firstValueFrom(TestBed.inject(VOICE_TOKEN_SOURCE).issue());
    http.expectOne(API_ROUTES.voice.token).flush({ token: 'jwt', identity: 'alice', expiresAt: '2026-11-24T13:00:00.000Z' });
    await expect(token).resolves.toMatchObject({ token: 'jwt' });
  });

  it('checks numbers against the calling policy over HTTP, sending what was dialled', async () => {
    const refusal = { allowed: false, reason: 'blocked-prefix', message: 'Premium-rate numbers are blocked.' };
    const answer = firstValueFrom(TestBed.inject(NUMBER_POLICY_CHECK).check('+19005550100'));
    const request = http.expectOne(API_ROUTES.calls.checkNumber);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ to: '+19005550100' });
    request.flush(refusal);
    await expect(answer).resolves.toEqual(refusal);
  });

  it('reports a failed number check as an error (no answer is invented)', async () => {
    const answer = firstValueFrom(TestBed.inject(NUMBER_POLICY_CHECK).check('+14155550111'));
    http.expectOne(API_ROUTES.calls.checkNumber).error(new ProgressEvent('error'));
    await expect(answer).rejects.toBeTruthy();
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

  it("holds the sign-in answer's token in memory for the first connect, once, without asking the token API", async () => {
    const voiceToken = { token: 'jwt.carried.sig', identity: 'alice', expiresAt: '2026-11-24T13:00:00.000Z' };
    const tokens = TestBed.inject(VOICE_TOKEN_SOURCE);
    const session = TestBed.inject(SessionStore);
    const signIn = session.signIn({ identity: 'alice', password: 'pw' });
    http.expectOne(API_ROUTES.auth.login).flush({ identity: 'alice', displayName: 'Alice', role: 'agent', voiceToken });
    await signIn;
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [], unheard: 0 });
    // Memory only: no Web Storage entry holds it.
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i++) expect(storage.getItem(storage.key(i) ?? '')).not.toContain(voiceToken.token);
    }
    expect(tokens.takeSignInToken?.()).toEqual(voiceToken);
    expect(tokens.takeSignInToken?.()).toBeNull();
    http.expectNone(API_ROUTES.voice.token);
  });

  it('holds no token after a sign-in answer without one, or after sign-out', async () => {
    const tokens = TestBed.inject(VOICE_TOKEN_SOURCE);
    const session = TestBed.inject(SessionStore);
    const signIn = session.signIn({ identity: 'alice', password: 'pw' });
    http.expectOne(API_ROUTES.auth.login).flush({ identity: 'alice', displayName: 'Alice', role: 'agent' });
    await signIn;
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [], unheard: 0 });
    expect(tokens.takeSignInToken?.()).toBeNull();

    const again = session.signIn({ identity: 'alice', password: 'pw' });
    http.expectOne(API_ROUTES.auth.login).flush({ identity: 'alice', displayName: 'Alice', role: 'agent', voiceToken: { token: 'jwt', identity: 'alice', expiresAt: '2026-11-24T13:00:00.000Z' } });
    await again;
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [], unheard: 0 });
    const signOut = session.signOut();
    http.expectOne(API_ROUTES.auth.logout).flush(null);
    await signOut;
    expect(tokens.takeSignInToken?.()).toBeNull();
  });

  it('starts the microphone question at the Sign in click, beside the request, and drops it when sign-in fails', async () => {
    const session = TestBed.inject(SessionStore);

    const refused = session.signIn({ identity: 'alice', password: 'nope' });
    expect(microphone.prepare).toHaveBeenCalledTimes(1);
    http.expectOne(API_ROUTES.auth.login).flush({ statusCode: 401, error: 'Unauthorized', message: 'Wrong.' }, { status: 401, statusText: 'Unauthorized' });
    await refused;
    expect(microphone.discardPrepared).toHaveBeenCalledTimes(1);

    const signIn = session.signIn({ identity: 'alice', password: 'pw' });
    expect(microphone.prepare).toHaveBeenCalledTimes(2);
    http.expectOne(API_ROUTES.auth.login).flush({ identity: 'alice', displayName: 'Alice', role: 'agent' });
    await signIn;
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [], unheard: 0 });
    expect(microphone.discardPrepared).toHaveBeenCalledTimes(1);
    // The phone's own check on signedIn takes the early answer; nothing here asks.
    expect(microphone.check).not.toHaveBeenCalled();
  });

  it('joins the tab election at the Sign in click, and leaves it when sign-in fails (another tab may take the phone)', async () => {
    const session = TestBed.inject(SessionStore);

    const refused = session.signIn({ identity: 'alice', password: 'nope' });
    expect(leadership.prepare).toHaveBeenCalledTimes(1);
    expect(leadership.abandon).not.toHaveBeenCalled();
    http.expectOne(API_ROUTES.auth.login).flush({ statusCode: 401, error: 'Unauthorized', message: 'Wrong.' }, { status: 401, statusText: 'Unauthorized' });
    await refused;
    expect(leadership.abandon).toHaveBeenCalledTimes(1);

    const signIn = session.signIn({ identity: 'alice', password: 'pw' });
    expect(leadership.prepare).toHaveBeenCalledTimes(2);
    http.expectOne(API_ROUTES.auth.login).flush({ identity: 'alice', displayName: 'Alice', role: 'agent' });
    await signIn;
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [], unheard: 0 });
    // Kept: the election effect on signedIn takes it over.
    expect(leadership.abandon).toHaveBeenCalledTimes(1);

    const signOut = session.signOut();
    http.expectOne(API_ROUTES.auth.logout).flush(null);
    await signOut;
    expect(leadership.abandon).toHaveBeenCalledTimes(2);
  });
});
