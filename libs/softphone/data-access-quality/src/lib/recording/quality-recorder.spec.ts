import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Actions } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import { API_ROUTES, type QualityRecordInput, type RegistrationSetupInput } from '@switchboard/shared-contracts';
import { ClientConfigStore } from '@switchboard/softphone-data-access-api';
import {
  CallCommandEvents,
  CallSdkEvents,
  DeviceSdkEvents,
  QualitySdkEvents,
  SessionEvents,
  SoftphonePanelActions,
  TabLeadershipEvents,
  VOICE_CLOCK,
  VOICE_PORT,
  VoiceTokenApiEvents,
} from '@switchboard/softphone-data-access-voice';
import { FakeVoicePort } from '@switchboard/softphone-data-access-voice/testing';
import { describeVoiceError } from '@switchboard/shared-voice-model';
import { Subject } from 'rxjs';
import { CallRatingService } from '../call-rating.service';
import { QUALITY_BROWSER } from '../sending/quality-browser';
import { FakeQualityBrowser } from '../testing/fake-quality-browser';
import { QualityRecorder } from './quality-recorder';

const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);

function setUp() {
  const actions = new Subject<Action>();
  const voice = new FakeVoicePort();
  const browser = new FakeQualityBrowser();
  let now = T0;
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: Actions, useValue: new Actions(actions) },
      { provide: VOICE_PORT, useValue: voice },
      { provide: VOICE_CLOCK, useValue: { now: () => now } },
      { provide: QUALITY_BROWSER, useValue: browser },
      { provide: ClientConfigStore, useValue: { config: signal(null) } },
    ],
  });
  TestBed.inject(QualityRecorder).start();
  const http = TestBed.inject(HttpTestingController);
  const sent = () => browser.posts.map((p) => JSON.parse(p.json) as QualityRecordInput);
  return {
    voice,
    browser,
    http,
    sent,
    dispatch: (action: Action) => actions.next(action),
    at: (ms: number) => (now = T0 + ms),
    rating: TestBed.inject(CallRatingService),
  };
}

/** An answered incoming call with two samples and a warning that cleared. */
function answeredCall(t: ReturnType<typeof setUp>, callId = 'call-1', callSid = 'CA1') {
  t.dispatch(CallSdkEvents.incomingReceived({ call: { callId, callSid, from: '+15555550100', to: 'client:alice', customParameters: {}, isCallerVerified: null }, at: T0 }));
  t.at(2000);
  t.dispatch(SoftphonePanelActions.answerClicked({ callId }));
  t.dispatch(CallSdkEvents.accepted({ callId, callSid, at: T0 + 2100 }));
  t.voice.emitMedia({ kind: 'media-flowing', callId, at: T0 + 2500 });
  t.dispatch(QualitySdkEvents.volumeChanged({ callId, input: 0.5, output: 0.25 }));
  t.at(3000);
  t.dispatch(QualitySdkEvents.sampleReceived({ callId, sample: { timestamp: T0 + 3000, mos: 4.2, rtt: 50, jitter: 4, packetLossPercent: 0 } }));
  t.dispatch(QualitySdkEvents.warningRaised({ callId, name: 'high-jitter' }));
  t.at(4000);
  t.dispatch(QualitySdkEvents.sampleReceived({ callId, sample: { timestamp: T0 + 4000, mos: 3.1, rtt: 60, jitter: 40, packetLossPercent: 2 } }));
  t.dispatch(QualitySdkEvents.warningCleared({ callId, name: 'high-jitter' }));
}

describe('QualityRecorder', () => {
  it('sends one record when an answered call ends, and asks for a rating because it had a warning', async () => {
    const t = setUp();
    t.dispatch(SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }));
    answeredCall(t);
    t.dispatch(CallSdkEvents.disconnected({ callId: 'call-1', callSid: 'CA1', at: T0 + 10_000 }));
    expect(t.sent()).toHaveLength(1);
    const record = t.sent()[0];
    expect(record).toMatchObject({ callSid: 'CA1', direction: 'inbound', startedAt: new Date(T0).toISOString(), endedAt: new Date(T0 + 10_000).toISOString() });
    expect(record.samples.mos).toEqual([4.2, 3.1]);
    expect(record.samples.inputLevel).toEqual([0.5, 0.5]);
    expect(record.warnings).toEqual([{ name: 'high-jitter', startedAt: new Date(T0 + 3000).toISOString(), endedAt: new Date(T0 + 4000).toISOString() }]);
    expect(record.setup).toEqual([{ step: 'answer-to-media', at: new Date(T0 + 2000).toISOString(), durationMs: 500, error: null }]);
    expect(t.browser.posts[0].keepalive).toBe(true);
    expect(t.rating.pending()).toEqual({ callSid: 'CA1', warnings: ['high-jitter'], endedAt: record.endedAt });
    await Promise.resolve();
  });

  it('records nothing for a call that only rang, and asks no rating after a call without warnings', () => {
    const t = setUp();
    t.dispatch(SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }));
    t.dispatch(CallSdkEvents.incomingReceived({ call: { callId: 'call-1', callSid: 'CA1', from: '+1', to: 'client:alice', customParameters: {}, isCallerVerified: null }, at: T0 }));
    t.dispatch(CallSdkEvents.cancelled({ callId: 'call-1', at: T0 + 5000 }));
    t.dispatch(CallCommandEvents.outgoingStarted({ callId: 'call-2', to: '+15555550111', at: T0 }));
    t.dispatch(CallSdkEvents.ringing({ callId: 'call-2', hasEarlyMedia: false }));
    t.dispatch(CallSdkEvents.accepted({ callId: 'call-2', callSid: 'CA2', at: T0 + 100 }));
    t.dispatch(CallSdkEvents.disconnected({ callId: 'call-2', callSid: 'CA2', at: T0 + 200 }));
    expect(t.sent().map((r) => r.callSid)).toEqual(['CA2']);
    expect(t.rating.pending()).toBeNull();
  });

  it('when the page closes during a call, keeps its record and beacons it (text/plain body built by the browser port)', () => {
    const t = setUp();
    t.dispatch(SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }));
    answeredCall(t);
    t.at(20_000);
    t.browser.fire('pagehide');
    expect(t.browser.posts).toEqual([]);
    expect(t.browser.beacons).toHaveLength(1);
    const beaconed = JSON.parse(t.browser.beacons[0].json) as QualityRecordInput;
    expect(beaconed).toMatchObject({ callSid: 'CA1', endedAt: new Date(T0 + 20_000).toISOString() });
    // The SDK's own disconnect that follows does not send it again.
    t.dispatch(CallSdkEvents.disconnected({ callId: 'call-1', callSid: 'CA1', at: T0 + 20_100 }));
    expect(t.browser.posts).toEqual([]);
  });

  it('hang-up then close: the record whose POST has not been confirmed is beaconed at pagehide', () => {
    const t = setUp();
    t.dispatch(SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }));
    t.browser.status = 0; // the keepalive POST did not get through (yet)
    answeredCall(t);
    t.dispatch(CallSdkEvents.disconnected({ callId: 'call-1', callSid: 'CA1', at: T0 + 10_000 }));
    t.browser.fire('pagehide');
    expect(t.browser.beacons.map((b) => JSON.parse(b.json).callSid)).toEqual(['CA1']);
  });

  it('retries unsent records at sign-in and when the browser is back online', async () => {
    const t = setUp();
    t.dispatch(SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }));
    t.browser.status = 0;
    answeredCall(t);
    t.dispatch(CallSdkEvents.disconnected({ callId: 'call-1', callSid: 'CA1', at: T0 + 10_000 }));
    await Promise.resolve();
    t.browser.status = 201;
    t.browser.fire('online');
    expect(t.browser.posts).toHaveLength(2);
  });

  it('posts the token and registration timings of each registration attempt', () => {
    const t = setUp();
    t.dispatch(SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }));
    t.dispatch(DeviceSdkEvents.created({ sdkVersion: '2.18.5' }));
    t.dispatch(TabLeadershipEvents.gained());
    t.at(300);
    t.dispatch(VoiceTokenApiEvents.issued({ identity: 'alice', expiresAt: '2026-12-06T10:00:00.000Z' }));
    t.at(1100);
    t.dispatch(DeviceSdkEvents.registered({ edge: 'ashburn' }));
    const request = t.http.expectOne(API_ROUTES.quality.registrations);
    expect(request.request.body as RegistrationSetupInput).toEqual({
      edge: 'ashburn',
      sdkVersion: '2.18.5',
      setup: [
        { step: 'token', at: new Date(T0).toISOString(), durationMs: 300, error: null },
        { step: 'registration', at: new Date(T0 + 300).toISOString(), durationMs: 800, error: null },
      ],
    });
    request.flush({});
    // A failed token fetch is a failed token step.
    t.dispatch(SoftphonePanelActions.reconnectClicked());
    t.dispatch(VoiceTokenApiEvents.issueFailed({ error: describeVoiceError(20104, 'expired') }));
    const failed = t.http.expectOne(API_ROUTES.quality.registrations);
    expect((failed.request.body as RegistrationSetupInput).setup).toEqual([{ step: 'token', at: new Date(T0 + 1100).toISOString(), durationMs: null, error: { code: 20104, message: expect.any(String) } }]);
    t.http.verify();
  });
});
