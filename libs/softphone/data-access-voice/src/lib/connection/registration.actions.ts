import { createActionGroup, emptyProps, props } from '@ngrx/store';
import type { VoiceErrorInfo, VoiceLogLevel } from '@switchboard/shared-voice-model';

/** The app's own registration machinery (watchdog, back-off, sign-out teardown, log level). */
export const VoiceRegistrationEvents = createActionGroup({
  source: 'Voice Registration',
  events: {
    /** register() has not settled within the deadline: treated as failed and retried. */
    'Timed Out': props<{ error: VoiceErrorInfo }>(),
    /** register() failed (not a token problem): retried with back-off. */
    Failed: props<{ error: VoiceErrorInfo }>(),
    'Retry Scheduled': props<{ attempt: number; delayMs: number }>(),
    /** The back-off elapsed: fetch a fresh token and register again. */
    'Retry Due': emptyProps(),
    'Log Level Applied': props<{ level: VoiceLogLevel }>(),
  },
});
