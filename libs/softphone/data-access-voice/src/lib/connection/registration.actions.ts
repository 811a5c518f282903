import { createActionGroup, emptyProps, props } from '@ngrx/store';
import type { VoiceErrorInfo, VoiceLogLevel } from '@switchboard/shared-voice-model';
import type { PageLifecycleEvent } from '../ports/page-lifecycle';

/** The app's own registration machinery (watchdog, back-off, page checks). */
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
    /** Our own timer (or a retry after a failed refresh) says the token needs refreshing. */
    'Token Refresh Due': emptyProps(),
    /** The page woke up or came back online: check the registration. */
    'Check Requested': props<{ reason: PageLifecycleEvent }>(),
    'Check Failed': props<{ error: VoiceErrorInfo }>(),
    'Log Level Applied': props<{ level: VoiceLogLevel }>(),
    'Device Torn Down': emptyProps(),
  },
});
