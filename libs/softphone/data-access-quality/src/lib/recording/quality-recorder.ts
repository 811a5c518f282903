import { DestroyRef, Injectable, inject } from '@angular/core';
import { Actions, ofType } from '@ngrx/effects';
import type { Action, ActionCreator, Creator } from '@ngrx/store';
import type { QualityRecordInput } from '@switchboard/shared-contracts';
import {
  CallCommandEvents,
  CallSdkEvents,
  DeviceSdkEvents,
  PageCheckEvents,
  QualitySdkEvents,
  SessionEvents,
  SoftphonePanelActions,
  TabLeadershipEvents,
  VOICE_CLOCK,
  VOICE_PORT,
  VoiceRegistrationEvents,
  VoiceTokenApiEvents,
  type CallMediaEvent,
} from '@switchboard/softphone-data-access-voice';
import { isTokenError, type CallId } from '@switchboard/shared-voice-model';
import { Subscription, merge } from 'rxjs';
import { CallRatingService } from '../call-rating.service';
import { QualityApi } from '../quality-api';
import { QUALITY_BROWSER } from '../sending/quality-browser';
import { QualityOutbox } from '../sending/quality-outbox';
import { CallRecording } from './call-recording';
import { RegistrationTiming } from './registration-timing';

/**
 * The per-call quality recorder (issue 14). A service rather than an NgRx slice: a four-hour call keeps
 * 14 400 samples, which have no business in the store (every action would copy and devtools would log
 * them), and nothing on screen reads them while the call lasts (the live view keeps using the quality
 * slice). It listens to the same actions the reducers see (SDK facts and the agent's commands, with their
 * times) plus the port's media events, and at the end of each call hands one record to the outbox.
 */
@Injectable({ providedIn: 'root' })
export class QualityRecorder {
  private readonly actions$ = inject(Actions);
  private readonly voice = inject(VOICE_PORT);
  private readonly clock = inject(VOICE_CLOCK);
  private readonly outbox = inject(QualityOutbox);
  private readonly rating = inject(CallRatingService);
  private readonly api = inject(QualityApi);
  private readonly browser = inject(QUALITY_BROWSER);
  private readonly destroyRef = inject(DestroyRef);

  private readonly recordings = new Map<CallId, CallRecording>();
  private readonly registration = new RegistrationTiming((input) => {
    if (this.identity) this.api.saveRegistration(input).subscribe({ error: () => undefined });
  });
  private identity: string | null = null;
  private subscription: Subscription | null = null;

  /** Starts listening (once); stops with the injector. */
  start(): void {
    if (this.subscription) return;
    this.subscription = merge(
      this.actions$.pipe(ofType(...RECORDED_ACTIONS)),
      this.voice.mediaEvents$,
      this.browser.pageEvents$,
    ).subscribe((input) => {
      if (typeof input === 'string') this.onPage(input);
      else if ('type' in input) this.onAction(input);
      else this.onMedia(input);
    });
    this.destroyRef.onDestroy(() => this.subscription?.unsubscribe());
  }

  /** Calls being recorded (for diagnostics and tests). */
  get activeCallIds(): readonly CallId[] {
    return [...this.recordings.keys()];
  }

  private onAction(action: Action): void {
    const now = this.clock.now();
    if (isA(SessionEvents.signedIn, action)) {
      this.identity = action.agent.identity;
      void this.outbox.flush(this.identity);
    } else if (isA(SessionEvents.signedOut, action)) {
      this.registration.abandon();
      this.identity = null;
    } else if (isA(DeviceSdkEvents.created, action)) {
      this.registration.sdkVersion = action.sdkVersion;
    } else if (this.onRegistrationAction(action, now)) {
      return;
    } else if (isA(CallSdkEvents.incomingReceived, action)) {
      this.recordings.set(action.call.callId, new CallRecording('inbound', action.at, action.call.callSid));
    } else if (isA(CallCommandEvents.outgoingStarted, action)) {
      this.recordings.set(action.callId, new CallRecording('outbound', action.at, null));
    } else if (isA(CallSdkEvents.ringing, action)) {
      this.recordings.get(action.callId)?.ringing(now);
    } else if (isA(SoftphonePanelActions.answerClicked, action)) {
      this.recordings.get(action.callId)?.answerClicked(now);
    } else if (isA(CallSdkEvents.accepted, action)) {
      this.recordings.get(action.callId)?.accepted(action.at, action.callSid);
    } else if (isA(CallSdkEvents.failed, action)) {
      this.recordings.get(action.callId)?.error(action.error.code, action.error.message);
    } else if (isA(QualitySdkEvents.sampleReceived, action)) {
      this.recordings.get(action.callId)?.sample(action.sample, now);
    } else if (isA(QualitySdkEvents.volumeChanged, action)) {
      this.recordings.get(action.callId)?.volume(action.input, action.output);
    } else if (isA(QualitySdkEvents.warningRaised, action)) {
      this.recordings.get(action.callId)?.warningRaised(action.name, now);
    } else if (isA(QualitySdkEvents.warningCleared, action)) {
      this.recordings.get(action.callId)?.warningCleared(action.name, now);
    } else if (isA(CallSdkEvents.disconnected, action)) {
      this.finish(action.callId, action.at, action.callSid, false);
    } else if (isA(CallSdkEvents.cancelled, action) || isA(CallSdkEvents.rejected, action) || isA(CallCommandEvents.ignored, action)) {
      this.finish(action.callId, action.at, null, false);
    }
  }

  /** Token and registration timings; true when the action was one of theirs. */
  private onRegistrationAction(action: Action, now: number): boolean {
    if (
      isA(TabLeadershipEvents.gained, action) ||
      isA(SoftphonePanelActions.reconnectClicked, action) ||
      isA(VoiceRegistrationEvents.retryDue, action) ||
      isA(PageCheckEvents.reconnectNeeded, action)
    ) {
      this.registration.started(now);
    } else if (isA(TabLeadershipEvents.lost, action)) {
      this.registration.abandon();
    } else if (isA(VoiceTokenApiEvents.issued, action)) {
      this.registration.tokenIssued(now);
    } else if (isA(VoiceTokenApiEvents.issueFailed, action)) {
      this.registration.tokenFailed(now, action.error);
    } else if (isA(DeviceSdkEvents.registered, action)) {
      this.registration.registered(now, action.edge);
    } else if (isA(VoiceRegistrationEvents.failed, action) || isA(VoiceRegistrationEvents.timedOut, action)) {
      this.registration.registrationFailed(action.error);
    } else if (isA(DeviceSdkEvents.failed, action)) {
      this.registration.registrationFailed(action.error);
      // A refused token starts a new attempt (registration.effects connectOnDemand).
      if (isTokenError(action.error)) this.registration.started(now);
    } else {
      return false;
    }
    return true;
  }

  private onMedia(event: CallMediaEvent): void {
    const recording = this.recordings.get(event.callId);
    if (!recording) return;
    if (event.kind === 'media-flowing') recording.mediaFlowing(event.at);
    else recording.mediaFacts(event.facts);
  }

  private onPage(event: 'pagehide' | 'online'): void {
    const identity = this.identity;
    if (!identity) return;
    if (event === 'online') {
      void this.outbox.flush(identity);
      return;
    }
    // The page is closing with calls still on: they end with it. Keep their records, then beacon everything unsent.
    const now = this.clock.now();
    for (const callId of [...this.recordings.keys()]) this.finish(callId, now, null, true);
    this.outbox.beaconAll(identity);
  }

  private finish(callId: CallId, endedAt: number, callSid: string | null, pageClosing: boolean): void {
    const recording = this.recordings.get(callId);
    if (!recording) return;
    this.recordings.delete(callId);
    if (callSid) recording.callSid = callSid;
    const record = recording.toRecord(endedAt, { edge: this.registration.edge, sdkVersion: this.registration.sdkVersion || 'unknown' });
    if (!record || !this.identity) return;
    this.send(this.identity, record, pageClosing);
    if (record.warnings.length > 0 && !pageClosing) {
      this.rating.ask({ callSid: record.callSid, warnings: recording.warningNames, endedAt: record.endedAt }, callId);
    }
  }

  private send(identity: string, record: QualityRecordInput, pageClosing: boolean): void {
    if (pageClosing) this.outbox.keep(identity, record);
    else void this.outbox.submit(identity, record);
  }
}

/** Narrows an action to the creator's (NgRx creators have `type` but no type guard of their own). */
function isA<C extends ActionCreator<string, Creator>>(creator: C, action: Action): action is Action & ReturnType<C> {
  return action.type === creator.type;
}

const RECORDED_ACTIONS = [
  SessionEvents.signedIn,
  SessionEvents.signedOut,
  DeviceSdkEvents.created,
  DeviceSdkEvents.registered,
  DeviceSdkEvents.failed,
  TabLeadershipEvents.gained,
  TabLeadershipEvents.lost,
  SoftphonePanelActions.reconnectClicked,
  SoftphonePanelActions.answerClicked,
  VoiceRegistrationEvents.retryDue,
  VoiceRegistrationEvents.failed,
  VoiceRegistrationEvents.timedOut,
  PageCheckEvents.reconnectNeeded,
  VoiceTokenApiEvents.issued,
  VoiceTokenApiEvents.issueFailed,
  CallSdkEvents.incomingReceived,
  CallSdkEvents.ringing,
  CallSdkEvents.accepted,
  CallSdkEvents.failed,
  CallSdkEvents.disconnected,
  CallSdkEvents.cancelled,
  CallSdkEvents.rejected,
  CallCommandEvents.outgoingStarted,
  CallCommandEvents.ignored,
  QualitySdkEvents.sampleReceived,
  QualitySdkEvents.volumeChanged,
  QualitySdkEvents.warningRaised,
  QualitySdkEvents.warningCleared,
] as const;
