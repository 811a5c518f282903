import { createActionGroup, emptyProps, props } from '@ngrx/store';

/** The signed-in agent, as far as the voice state needs to know. */
export interface VoiceAgent {
  readonly identity: string;
  readonly displayName: string;
}

/** Dispatched by the sign-in feature: the voice phone lives between these two. */
export const SessionEvents = createActionGroup({
  source: 'Session',
  events: {
    'Signed In': props<{ agent: VoiceAgent }>(),
    'Signed Out': emptyProps(),
  },
});
