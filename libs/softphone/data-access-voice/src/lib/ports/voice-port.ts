import { InjectionToken } from '@angular/core';
import type { CallMediaFacts, FeedbackIssue, FeedbackScore, PreflightCallQuality, QualityFigureSummary } from '@switchboard/shared-contracts';
import type {
  AudioEvent,
  CallEvent,
  CallId,
  DeviceEvent,
  EdgePreference,
  QualityEvent,
  QualitySample,
  VoiceLogLevel,
} from '@switchboard/shared-voice-model';
import type { Observable } from 'rxjs';

/** What the agent asked to dial. `to` is E.164 or `client:<identity>`; the API decides the TwiML. */
export interface OutgoingCallRequest {
  readonly to: string;
  /** Extra TwiML parameters (strings only, as the SDK sends them). */
  readonly params?: Readonly<Record<string, string>>;
}

/**
 * Facts about a call's media path the quality recorder keeps (issue 14), beyond the live QualityEvents.
 * `media-flowing`: the first 1 s sample with bytes received (the end of the "answer to audio" step).
 * `media-facts`: what the adapter read from the SDK and the peer connection (codec, selected ICE pair,
 * edge, device labels); sent again when it may have changed, the last one is the call's.
 */
export type CallMediaEvent =
  | { readonly kind: 'media-flowing'; readonly callId: CallId; readonly at: number }
  | { readonly kind: 'media-facts'; readonly callId: CallId; readonly facts: CallMediaFacts };

/** Overrides for one line test; everything else is the phone's own Device options. */
export interface PreflightRunOptions {
  /** Play a recording instead of the microphone (the SDK's `fakeMicInput`, for automated runs). */
  readonly fakeMicInput?: boolean;
}

/** The SDK's PreflightTest.Report, as plain data. */
export interface PreflightReportData {
  readonly callSid: string | null;
  readonly edge: string | null;
  readonly callQuality: PreflightCallQuality | null;
  readonly mos: QualityFigureSummary;
  readonly rtt: QualityFigureSummary;
  readonly jitter: QualityFigureSummary;
  /** Percent of the test's packets lost (totals), null without totals. */
  readonly packetLossPercent: number | null;
  readonly timing: { readonly signalingMs: number | null; readonly iceMs: number | null; readonly dtlsMs: number | null; readonly peerConnectionMs: number | null };
  readonly warnings: readonly string[];
  readonly startedAt: number;
  readonly endedAt: number;
}

/** The SDK's PreflightTest events (connected, sample, warning, completed, failed) as plain data. */
export type PreflightEvent =
  | { readonly kind: 'connected'; readonly callSid: string | null }
  | { readonly kind: 'sample'; readonly sample: QualitySample }
  | { readonly kind: 'warning'; readonly name: string; readonly description: string }
  | { readonly kind: 'completed'; readonly report: PreflightReportData }
  | { readonly kind: 'failed'; readonly code: number; readonly message: string };

/**
 * The softphone's view of the voice SDK. Implemented by `TwilioVoiceAdapter`
 * (@switchboard/softphone-voice-sdk-adapter) and by `FakeVoicePort` (`/testing`).
 * Only plain data crosses it: calls are named by the adapter's {@link CallId}.
 *
 * Commands returning Observable are cold: nothing happens until subscribed. They error with a
 * `VoiceErrorInfo`-shaped value (`{ code, name, message, … }`) on failure.
 */
export interface VoicePort {
  readonly deviceEvents$: Observable<DeviceEvent>;
  readonly callEvents$: Observable<CallEvent>;
  readonly qualityEvents$: Observable<QualityEvent>;
  readonly audioEvents$: Observable<AudioEvent>;
  /** Issue 14: media facts for the quality record (see {@link CallMediaEvent}). */
  readonly mediaEvents$: Observable<CallMediaEvent>;

  /**
   * Load the SDK (lazily, first time), create the Device if there is none (otherwise give it
   * this token), and register. Completes when registered; errors if registration fails.
   * May never settle (twilio-voice.js#445): callers put a watchdog on it.
   */
  register(token: string): Observable<void>;
  /** After sleep, freeze or a network change: re-register if the Device is not registered. */
  refreshRegistration(): Observable<void>;
  /** Hand a fresh token to the live Device (no re-registration). */
  updateToken(token: string): void;
  /** Destroy the Device (sign-out, or recreating it after the watchdog fired). */
  destroy(): void;

  /** Place a call. Returns the adapter's id at once; progress arrives on {@link callEvents$}. */
  connect(request: OutgoingCallRequest): CallId;
  accept(callId: CallId): void;
  reject(callId: CallId): void;
  ignore(callId: CallId): void;
  hangUp(callId: CallId): void;
  mute(callId: CallId): void;
  unmute(callId: CallId): void;
  /** DTMF: 0-9, *, #, w. */
  sendDigits(callId: CallId, digits: string): void;
  /** A user-defined call message; returns the SDK's voiceEventSid. */
  sendMessage(callId: CallId, content: unknown, contentType?: string): string;

  setInputDevice(deviceId: string): Observable<void>;
  setOutputDevice(deviceId: string): Observable<void>;
  /**
   * Where incoming calls ring (`audio.ringtoneDevices.set([deviceId])`), apart from the call audio's speaker.
   * Completes without doing anything where the browser cannot choose outputs.
   */
  setRingtoneDevice(deviceId: string): Observable<void>;
  /** Play a sound on the chosen output device(s); null = the Device's own outgoing sound. Completes when started. */
  testSpeaker(soundUrl: string | null): Observable<void>;
  setLogLevel(level: VoiceLogLevel): void;
  /**
   * Use this edge from now on: kept for the next Device, and given to a live one with
   * `updateOptions({ edge })` (the SDK then reconnects signaling). Completes when applied. While the
   * Device is on a call it errors with `describeAppError('CallInProgress')` (the SDK refuses to change
   * edge then); callers defer and try again when the call ends.
   */
  setEdge(preference: EdgePreference): Observable<void>;

  /**
   * Line test: the SDK's `Device.runPreflight(token, …)` with the phone's own edge, codec preferences and
   * sandbox overrides. Cold; emits the test's events and completes after `completed` or `failed`;
   * unsubscribing stops the test.
   */
  runPreflight(token: string, options?: PreflightRunOptions): Observable<PreflightEvent>;
  /**
   * The agent's rating, as the SDK's `call.postFeedback(score, issue)` (Voice Insights; twilio mode only,
   * callers decide). Works for a call that has ended recently; errors if the adapter no longer knows it.
   */
  postFeedback(callId: CallId, score: FeedbackScore, issue: FeedbackIssue | null): Observable<void>;
}

export const VOICE_PORT = new InjectionToken<VoicePort>('VOICE_PORT');
