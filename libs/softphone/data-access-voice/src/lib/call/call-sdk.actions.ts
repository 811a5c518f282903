import { createActionGroup, props } from '@ngrx/store';
import type { CallId, CallMessage, IncomingCallInfo, VoiceErrorInfo } from '@switchboard/shared-voice-model';

/** The SDK's Call reported it. `at` is the wall-clock time the effect saw it (for timers). */
export const CallSdkEvents = createActionGroup({
  source: 'Voice SDK Call',
  events: {
    'Incoming Received': props<{ call: IncomingCallInfo; at: number }>(),
    Ringing: props<{ callId: CallId; hasEarlyMedia: boolean }>(),
    Accepted: props<{ callId: CallId; callSid: string | null; at: number }>(),
    Reconnecting: props<{ callId: CallId; error: VoiceErrorInfo; at: number }>(),
    Reconnected: props<{ callId: CallId }>(),
    Cancelled: props<{ callId: CallId; at: number }>(),
    Rejected: props<{ callId: CallId; at: number }>(),
    Disconnected: props<{ callId: CallId; callSid: string | null; at: number }>(),
    /** A call-level error; the outcome of a following disconnect is derived from it. */
    Failed: props<{ callId: CallId; error: VoiceErrorInfo }>(),
    'Mute Changed': props<{ callId: CallId; isMuted: boolean }>(),
    'Message Received': props<{ callId: CallId; message: CallMessage }>(),
    'Message Sent': props<{ callId: CallId; voiceEventSid: string | null }>(),
  },
});

/** The effects carried out what the agent asked (or could not). */
export const CallCommandEvents = createActionGroup({
  source: 'Voice Call Commands',
  events: {
    /** `params`: the custom parameters it was placed with (a monitor call is known by them). */
    'Outgoing Started': props<{ callId: CallId; to: string; at: number; params?: Readonly<Record<string, string>> }>(),
    /** connect() threw before any call existed (e.g. the Device is gone). */
    'Outgoing Failed': props<{ to: string; error: VoiceErrorInfo; at: number }>(),
    /** accept/reject/hang-up/… threw; the call's state is left to the SDK's events. */
    'Command Failed': props<{ callId: CallId; command: string; error: VoiceErrorInfo }>(),
    'Ignored': props<{ callId: CallId; at: number }>(),
    /**
     * The agent leaves this call by doing something else: answering a waiting call, or signing out. Ended
     * like a hang-up click (through the API for an anchored call, so no rescue is opened for it).
     */
    'Leave Requested': props<{ callId: CallId; cause: 'answering-another' | 'signing-out' }>(),
  },
});
