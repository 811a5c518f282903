import { createActionGroup, emptyProps, props } from '@ngrx/store';
import type { CallId, EdgePreference, VoiceLogLevel } from '@switchboard/shared-voice-model';

/** What the agent did in the softphone panel, in their words. */
export const SoftphonePanelActions = createActionGroup({
  source: 'Softphone Panel',
  events: {
    /** `to`: E.164 (validated by the dialer) or `client:<identity>` from the directory. */
    'Dial Submitted': props<{ to: string; params?: Readonly<Record<string, string>> }>(),
    /** Answer an incoming call; if another call is live it is hung up first (call waiting). */
    'Answer Clicked': props<{ callId: CallId }>(),
    'Decline Clicked': props<{ callId: CallId }>(),
    'Ignore Clicked': props<{ callId: CallId }>(),
    'Hang Up Clicked': props<{ callId: CallId }>(),
    'Mute Clicked': props<{ callId: CallId }>(),
    'Unmute Clicked': props<{ callId: CallId }>(),
    'Digits Pressed': props<{ callId: CallId; digits: string }>(),
    'Message Submitted': props<{ callId: CallId; content: string; contentType?: string }>(),
    /** Clear the "call ended: busy" card. */
    'Ended Call Dismissed': props<{ callId: CallId }>(),
    /** "Try again" on the status chip when the connection is in `error`. */
    'Reconnect Clicked': emptyProps(),
    /** "Use this tab" while another tab of the browser has the phone. */
    'Use This Tab Clicked': emptyProps(),
  },
});

/** What the agent did on the settings screen. */
export const SoftphoneSettingsActions = createActionGroup({
  source: 'Softphone Settings',
  events: {
    'Input Device Selected': props<{ deviceId: string }>(),
    'Output Device Selected': props<{ deviceId: string }>(),
    /** Where incoming calls ring; persisted with the other device choices. */
    'Ringtone Device Selected': props<{ deviceId: string }>(),
    'Speaker Test Clicked': emptyProps(),
    'Log Level Changed': props<{ level: VoiceLogLevel }>(),
    /** "Check again" after the agent allowed the microphone in the browser. */
    'Microphone Check Clicked': emptyProps(),
    'Device Notice Dismissed': emptyProps(),
    /** Edge choice: applied now, or when the current call ends; persisted either way. */
    'Edge Preference Selected': props<{ preference: EdgePreference }>(),
  },
});
