import type { CallId, CallMessage } from './call-machine';
import type { QualitySample, QualityWarningName } from './quality';

/**
 * Plain, serializable facts the adapter reports. SDK objects never cross this line: calls are
 * named by the adapter's {@link CallId}, errors by code and message.
 */
export type DeviceEvent =
  /** A Device was created (after the SDK module loaded). For diagnostics. */
  | { readonly kind: 'created'; readonly sdkVersion: string }
  | { readonly kind: 'registering' }
  /** `edge` is the edge the Device connected to, when known (diagnostics). */
  | { readonly kind: 'registered'; readonly edge: string | null }
  | { readonly kind: 'unregistered' }
  | { readonly kind: 'destroyed' }
  | { readonly kind: 'token-will-expire' }
  /** A Device-level error (no call attached). */
  | { readonly kind: 'error'; readonly code: number; readonly message: string };

export type DeviceEventKind = DeviceEvent['kind'];

export interface IncomingCallInfo {
  readonly callId: CallId;
  readonly callSid: string | null;
  /** Caller as the SDK gives it (`parameters.From`): E.164 or `client:identity`. */
  readonly from: string;
  readonly to: string;
  /** `<Client><Parameter>` values (customParameters). */
  readonly customParameters: Readonly<Record<string, string>>;
  /** STIR/SHAKEN: true = verified, false = failed, null = not attested. */
  readonly isCallerVerified: boolean | null;
}

export type CallEvent =
  | ({ readonly kind: 'incoming' } & IncomingCallInfo)
  /** Outgoing: the far end rings (`hasEarlyMedia` with answerOnBridge). */
  | { readonly kind: 'ringing'; readonly callId: CallId; readonly hasEarlyMedia: boolean }
  /** Media is up (`accept` event; for outgoing calls the SDK also emits accept). */
  | { readonly kind: 'accepted'; readonly callId: CallId; readonly callSid: string | null }
  | { readonly kind: 'reconnecting'; readonly callId: CallId; readonly code: number; readonly message: string }
  | { readonly kind: 'reconnected'; readonly callId: CallId }
  /** Incoming: the caller hung up before it was answered. */
  | { readonly kind: 'cancelled'; readonly callId: CallId }
  /** Incoming: the agent declined (confirmation of `reject`). */
  | { readonly kind: 'rejected'; readonly callId: CallId }
  | { readonly kind: 'disconnected'; readonly callId: CallId; readonly callSid: string | null }
  | { readonly kind: 'error'; readonly callId: CallId; readonly code: number; readonly message: string }
  | { readonly kind: 'muted'; readonly callId: CallId; readonly isMuted: boolean }
  | { readonly kind: 'message-received'; readonly callId: CallId; readonly message: CallMessage }
  | { readonly kind: 'message-sent'; readonly callId: CallId; readonly voiceEventSid: string | null };

export type CallEventKind = CallEvent['kind'];

export type QualityEvent =
  | { readonly kind: 'warning'; readonly callId: CallId; readonly name: QualityWarningName }
  | { readonly kind: 'warning-cleared'; readonly callId: CallId; readonly name: QualityWarningName }
  | { readonly kind: 'sample'; readonly callId: CallId; readonly sample: QualitySample }
  /** Call audio levels 0–1, throttled by the adapter (the SDK emits every 50 ms). */
  | { readonly kind: 'volume'; readonly callId: CallId; readonly input: number; readonly output: number };

export type QualityEventKind = QualityEvent['kind'];

/** A microphone or speaker as the browser lists it. Labels are empty until permission is granted. */
export interface AudioDevice {
  readonly deviceId: string;
  readonly label: string;
  readonly groupId: string;
}

export type AudioEvent =
  /** The browser's device lists changed (SDK `deviceChange`), or were read for the first time. */
  | {
      readonly kind: 'devices-changed';
      readonly inputs: readonly AudioDevice[];
      readonly outputs: readonly AudioDevice[];
      /** Ids of devices in use that disappeared (SDK `lostActiveDevices`). */
      readonly lostActiveDeviceIds: readonly string[];
      readonly isOutputSelectionSupported: boolean;
    }
  /** Microphone level 0–1 for the meter, throttled by the adapter. */
  | { readonly kind: 'input-volume'; readonly level: number };

export type AudioEventKind = AudioEvent['kind'];

/** The SDK's default device id: what a lost choice falls back to. */
export const DEFAULT_AUDIO_DEVICE_ID = 'default';

/**
 * Restore a saved choice: match by id first (stable within a browser profile), then by label
 * (ids change after clearing site data or across machines), else the default.
 */
export function matchSavedDevice(
  saved: { readonly deviceId: string; readonly label: string } | null,
  available: readonly AudioDevice[],
): AudioDevice | null {
  if (!saved) return null;
  return (
    available.find((d) => d.deviceId === saved.deviceId) ??
    (saved.label.trim() !== '' ? available.find((d) => d.label === saved.label) : undefined) ??
    null
  );
}

/** SDK log levels (loglevel), changeable at run time. */
export const VOICE_LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
export type VoiceLogLevel = (typeof VOICE_LOG_LEVELS)[number];
export const isVoiceLogLevel = (value: string): value is VoiceLogLevel =>
  (VOICE_LOG_LEVELS as readonly string[]).includes(value);
