import { createActionGroup, emptyProps, props } from '@ngrx/store';
import type { EdgePreference, VoiceErrorInfo } from '@switchboard/shared-voice-model';

/** What happened to the agent's edge choice (the choice itself is SoftphoneSettingsActions.edgePreferenceSelected). */
export const EdgeCommandEvents = createActionGroup({
  source: 'Edge Setting',
  events: {
    /** Read from storage at sign-in, before the Device exists. */
    'Preference Restored': props<{ preference: EdgePreference }>(),
    /** A call is live: the SDK cannot change edge now, so it waits for the call to end. */
    'Apply Deferred': emptyProps(),
    Applied: props<{ preference: EdgePreference }>(),
    'Apply Failed': props<{ preference: EdgePreference; error: VoiceErrorInfo }>(),
  },
});
