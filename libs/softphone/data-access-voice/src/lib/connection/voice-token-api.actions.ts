import { createActionGroup, emptyProps, props } from '@ngrx/store';
import type { VoiceErrorInfo } from '@switchboard/shared-voice-model';

/** Our API's token endpoint answered (through the VoiceTokenSource port). */
export const VoiceTokenApiEvents = createActionGroup({
  source: 'Voice Token API',
  events: {
    /** A token for (re-)registration. */
    Issued: props<{ identity: string; expiresAt: string }>(),
    'Issue Failed': props<{ error: VoiceErrorInfo }>(),
    /** A refresh before expiry: the live Device got the new token. */
    Refreshed: props<{ expiresAt: string }>(),
    'Refresh Failed': props<{ error: VoiceErrorInfo }>(),
    /** A refresh waits for the live call to end (expiry is not near). */
    'Refresh Deferred': emptyProps(),
  },
});
