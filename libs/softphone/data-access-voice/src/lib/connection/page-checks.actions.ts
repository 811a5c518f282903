import { createActionGroup, emptyProps, props } from '@ngrx/store';
import type { VoiceErrorInfo } from '@switchboard/shared-voice-model';
import type { PageLifecycleEvent } from '../ports/page-lifecycle';

/** Registration checks after the page slept, froze, came back from the bfcache or went back online. */
export const PageCheckEvents = createActionGroup({
  source: 'Page Check',
  events: {
    /** The page woke up or came back online: check the registration. */
    Requested: props<{ reason: PageLifecycleEvent }>(),
    /** Re-registering the existing Device failed or did not settle in time: retried with back-off. */
    Failed: props<{ error: VoiceErrorInfo }>(),
    /** The Device is gone (or failed in a retriable way): get online from scratch, as a due retry would. */
    'Reconnect Needed': emptyProps(),
  },
});
