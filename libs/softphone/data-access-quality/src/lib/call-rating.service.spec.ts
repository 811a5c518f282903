import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { API_ROUTES, type ClientConfig } from '@switchboard/shared-contracts';
import { ClientConfigStore } from '@switchboard/softphone-data-access-api';
import { VOICE_PORT } from '@switchboard/softphone-data-access-voice';
import { FakeVoicePort } from '@switchboard/softphone-data-access-voice/testing';
import { throwError } from 'rxjs';
import { CallRatingService } from './call-rating.service';

function setUp(mode: ClientConfig['mode'], voice = new FakeVoicePort()) {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: VOICE_PORT, useValue: voice },
      { provide: ClientConfigStore, useValue: { config: signal({ mode }) } },
    ],
  });
  const service = TestBed.inject(CallRatingService);
  service.ask({ callSid: 'CA1', warnings: ['high-jitter'], endedAt: '2026-12-06T09:00:00.000Z' }, 'call-1');
  return { service, voice, http: TestBed.inject(HttpTestingController) };
}

describe('CallRatingService', () => {
  it('twilio mode: stores the rating with the API, then sends it to Twilio with postFeedback (first issue), and clears', () => {
    const { service, voice, http } = setUp('twilio');
    let completed = false;
    service.rate({ score: 2, issues: ['choppy-audio', 'echo'] }).subscribe({ complete: () => (completed = true) });
    const put = http.expectOne(API_ROUTES.quality.rating('CA1'));
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ score: 2, issues: ['choppy-audio', 'echo'] });
    expect(voice.commandsNamed('postFeedback')).toEqual([]);
    put.flush({});
    expect(voice.commandsNamed('postFeedback')).toEqual([{ method: 'postFeedback', args: ['call-1', 2, 'choppy-audio'] }]);
    expect(completed).toBe(true);
    expect(service.pending()).toBeNull();
  });

  it('sandbox mode: the API only, never postFeedback', () => {
    const { service, voice, http } = setUp('sandbox');
    service.rate({ score: 5, issues: [] }).subscribe();
    http.expectOne(API_ROUTES.quality.rating('CA1')).flush({});
    expect(voice.commandsNamed('postFeedback')).toEqual([]);
    expect(service.pending()).toBeNull();
  });

  it('keeps the question when the API fails; a failing postFeedback does not fail the rating', () => {
    const { service, http } = setUp('twilio', new FakeVoicePort({ postFeedback: () => throwError(() => new Error('gone')) }));
    let failed = false;
    service.rate({ score: 1, issues: ['dropped-call'] }).subscribe({ error: () => (failed = true) });
    http.expectOne(API_ROUTES.quality.rating('CA1')).flush({ message: 'down' }, { status: 503, statusText: 'Unavailable' });
    expect(failed).toBe(true);
    expect(service.pending()?.callSid).toBe('CA1');
    let completed = false;
    service.rate({ score: 1, issues: ['dropped-call'] }).subscribe({ complete: () => (completed = true) });
    http.expectOne(API_ROUTES.quality.rating('CA1')).flush({});
    expect(completed).toBe(true);
    expect(service.pending()).toBeNull();
  });

  it('dismiss clears the question without sending anything', () => {
    const { service, http } = setUp('twilio');
    service.dismiss();
    expect(service.pending()).toBeNull();
    service.rate({ score: 3, issues: [] }).subscribe();
    http.verify();
  });
});
