import { InjectionToken } from '@angular/core';
import type {
  AudioEvent,
  CallEvent,
  CallId,
  DeviceEvent,
  EdgePreference,
  QualityEvent,
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
}

export const VOICE_PORT = new InjectionToken<VoicePort>('VOICE_PORT');
