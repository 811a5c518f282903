import type { CallMediaFacts } from '@switchboard/shared-contracts';
import type { CallMediaEvent } from '@switchboard/softphone-data-access-voice';
import { isQualityWarningName, type CallEvent, type CallId, type CallMessage, type QualityEvent, type QualitySample } from '@switchboard/shared-voice-model';
import { Subscription, throttleTime, type SchedulerLike } from 'rxjs';
import { sdkEvent } from './sdk-event';
import { toSdkError } from './sdk-error';
import type { SdkCall } from './sdk-types';

/** The SDK's code for "media connection lost, reconnecting", used when `reconnecting` carries no error. */
const MEDIA_RECONNECTING_CODE = 53001;

/** After the first sample with media, the facts are read again every this many such samples (ICE restarts, device changes). */
export const MEDIA_FACTS_EVERY_SAMPLES = 30;

/** Where one call's events go, and what the adapter wants done about them. */
export interface CallListenerSinks {
  readonly emitCall: (event: CallEvent) => void;
  readonly emitQuality: (event: QualityEvent) => void;
  readonly emitMedia: (event: CallMediaEvent) => void;
  /** The call's media facts now; `codecHint` is the SDK sample's codecName. */
  readonly readMediaFacts: (call: SdkCall, codecHint: string | null) => Promise<CallMediaFacts>;
  readonly now: () => number;
  /** The call is over (cancelled, rejected, disconnected): forget it. */
  readonly ended: () => void;
  /** The configured hook for the call's remote `<audio>` element (VDI redirection). */
  readonly onCallAudio?: (audio: HTMLAudioElement, callId: CallId) => void;
  readonly volumeThrottleMs: number;
  readonly scheduler: SchedulerLike;
}

export function toSample(raw: Record<string, unknown>): QualitySample {
  const num = (key: string): number => (typeof raw[key] === 'number' && Number.isFinite(raw[key]) ? (raw[key] as number) : 0);
  return {
    timestamp: num('timestamp'),
    mos: typeof raw['mos'] === 'number' && Number.isFinite(raw['mos']) ? (raw['mos'] as number) : null,
    rtt: num('rtt'),
    jitter: num('jitter'),
    // The SDK's packetsLostFraction is already a percentage of the sample's packets.
    packetLossPercent: num('packetsLostFraction'),
  };
}

/** Turns one SDK Call's events into plain call and quality events keyed by `callId`; unsubscribe to detach. */
export function listenToCall(callId: CallId, call: SdkCall, sinks: CallListenerSinks): Subscription {
  const { emitCall: emit, emitQuality, ended } = sinks;
  const sid = () => call.parameters?.['CallSid'] ?? null;
  const subscription = new Subscription();
  subscription.add(sdkEvent(call, 'accept').subscribe(() => emit({ kind: 'accepted', callId, callSid: sid() })));
  subscription.add(sdkEvent<[boolean]>(call, 'ringing').subscribe(([hasEarlyMedia]) => emit({ kind: 'ringing', callId, hasEarlyMedia: !!hasEarlyMedia })));
  subscription.add(
    sdkEvent<[unknown]>(call, 'reconnecting').subscribe(([error]) => {
      const { code, message } = toSdkError(error, MEDIA_RECONNECTING_CODE);
      emit({ kind: 'reconnecting', callId, code, message });
    }),
  );
  subscription.add(sdkEvent(call, 'reconnected').subscribe(() => emit({ kind: 'reconnected', callId })));
  subscription.add(
    sdkEvent<[unknown]>(call, 'error').subscribe(([error]) => {
      const { code, message } = toSdkError(error);
      emit({ kind: 'error', callId, code, message });
    }),
  );
  subscription.add(sdkEvent<[boolean]>(call, 'mute').subscribe(([isMuted]) => emit({ kind: 'muted', callId, isMuted: !!isMuted })));
  subscription.add(
    sdkEvent<[{ content: unknown; contentType?: string; voiceEventSid?: string }]>(call, 'messageReceived').subscribe(([message]) => {
      const plain: CallMessage = {
        messageType: 'user-defined-message',
        content: message?.content ?? null,
        ...(message?.contentType ? { contentType: message.contentType } : {}),
        ...(message?.voiceEventSid ? { voiceEventSid: message.voiceEventSid } : {}),
      };
      emit({ kind: 'message-received', callId, message: plain });
    }),
  );
  subscription.add(
    sdkEvent<[{ voiceEventSid?: string }]>(call, 'messageSent').subscribe(([message]) =>
      emit({ kind: 'message-sent', callId, voiceEventSid: message?.voiceEventSid ?? null }),
    ),
  );
  subscription.add(
    sdkEvent<[string]>(call, 'warning').subscribe(([name]) => {
      if (isQualityWarningName(name)) emitQuality({ kind: 'warning', callId, name });
    }),
  );
  subscription.add(
    sdkEvent<[string]>(call, 'warning-cleared').subscribe(([name]) => {
      if (isQualityWarningName(name)) emitQuality({ kind: 'warning-cleared', callId, name });
    }),
  );
  let samplesWithMedia = 0;
  subscription.add(
    sdkEvent<[Record<string, unknown>]>(call, 'sample').subscribe(([sample]) => {
      emitQuality({ kind: 'sample', callId, sample: toSample(sample ?? {}) });
      const bytesReceived = sample?.['bytesReceived'];
      if (typeof bytesReceived !== 'number' || bytesReceived <= 0) return;
      samplesWithMedia += 1;
      if (samplesWithMedia === 1) sinks.emitMedia({ kind: 'media-flowing', callId, at: sinks.now() });
      if (samplesWithMedia === 1 || samplesWithMedia % MEDIA_FACTS_EVERY_SAMPLES === 0) {
        const codecHint = typeof sample['codecName'] === 'string' ? sample['codecName'] : null;
        sinks.readMediaFacts(call, codecHint).then(
          (facts) => sinks.emitMedia({ kind: 'media-facts', callId, facts }),
          () => undefined, // Diagnostics only: a failed read leaves the previous facts.
        );
      }
    }),
  );
  subscription.add(
    sdkEvent<[number, number]>(call, 'volume')
      .pipe(throttleTime(sinks.volumeThrottleMs, sinks.scheduler, { leading: true, trailing: true }))
      .subscribe(([input, output]) => emitQuality({ kind: 'volume', callId, input, output })),
  );
  subscription.add(
    sdkEvent<[HTMLAudioElement]>(call, 'audio').subscribe(([audio]) => {
      try {
        sinks.onCallAudio?.(audio, callId);
      } catch {
        // A faulty hook must not take the call down.
      }
    }),
  );
  subscription.add(sdkEvent(call, 'cancel').subscribe(() => (emit({ kind: 'cancelled', callId }), ended())));
  subscription.add(sdkEvent(call, 'reject').subscribe(() => (emit({ kind: 'rejected', callId }), ended())));
  subscription.add(sdkEvent(call, 'disconnect').subscribe(() => (emit({ kind: 'disconnected', callId, callSid: sid() }), ended())));
  return subscription;
}
