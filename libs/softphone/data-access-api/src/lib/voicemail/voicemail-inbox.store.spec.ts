import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { API_ROUTES, type Voicemail } from '@switchboard/shared-contracts';
import { ClientConfigStore } from '../client-config/client-config.store';
import { VoicemailInboxStore } from './voicemail-inbox.store';

function voicemail(id: string, heard: boolean): Voicemail {
  return {
    id, heard, recordingSid: `RE${id}`, callSid: `CA${id}`, from: '+15005550006', calledTarget: 'alice',
    durationSeconds: 12, receivedAt: '2026-11-24T09:00:00.000Z',
  };
}

describe('VoicemailInboxStore', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('loads the list and the unheard count, then lowers the count when one is marked heard', async () => {
    const store = TestBed.inject(VoicemailInboxStore);
    const loading = store.load();
    expect(store.status()).toBe('loading');
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [voicemail('1', false), voicemail('2', true)], unheard: 1 });
    await loading;
    expect(store.unheard()).toBe(1);

    const marking = store.markHeard('1');
    http.expectOne(API_ROUTES.voicemails.one('1')).flush(voicemail('1', true));
    await marking;
    expect(store.unheard()).toBe(0);
    expect(store.items()[0].heard).toBe(true);
  });

  it('does not send a request for a message that is already heard', async () => {
    const store = TestBed.inject(VoicemailInboxStore);
    const loading = store.load();
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [voicemail('2', true)], unheard: 0 });
    await loading;
    await store.markHeard('2');
    http.expectNone(API_ROUTES.voicemails.one('2'));
  });

  it('keeps the items and records the error when marking fails', async () => {
    const store = TestBed.inject(VoicemailInboxStore);
    const loading = store.load();
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [voicemail('1', false)], unheard: 1 });
    await loading;
    const marking = store.markHeard('1');
    http.expectOne(API_ROUTES.voicemails.one('1')).flush({ statusCode: 404, error: 'Not Found', message: 'No such voicemail.' }, { status: 404, statusText: 'Not Found' });
    await marking;
    expect(store.unheard()).toBe(1);
    expect(store.error()?.message).toBe('No such voicemail.');
  });

  it('records a failed load as state', async () => {
    const store = TestBed.inject(VoicemailInboxStore);
    const loading = store.load();
    http.expectOne(API_ROUTES.voicemails.list).flush('oops', { status: 500, statusText: 'Server Error' });
    await loading;
    expect(store.status()).toBe('error');
    store.clear();
    expect(store.status()).toBe('idle');
  });
});

describe('ClientConfigStore', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
  });

  it('keeps the config, or the error without throwing', async () => {
    const store = TestBed.inject(ClientConfigStore);
    const failing = store.load();
    http.expectOne(API_ROUTES.clientConfig).error(new ProgressEvent('error'), { status: 0 });
    await expect(failing).resolves.toBeNull();
    expect(store.error()?.statusCode).toBe(0);

    const loading = store.load();
    http.expectOne(API_ROUTES.clientConfig).flush({
      mode: 'sandbox', sandboxSignalingHost: 'localhost:8443', sandboxOrigin: 'https://localhost:8443',
      edge: ['roaming'], logLevel: 'warn', tokenRefreshMs: 30000,
    });
    await expect(loading).resolves.toMatchObject({ mode: 'sandbox' });
    expect(store.isSandbox()).toBe(true);
    expect(store.error()).toBeNull();
  });
});
