import { createActionGroup, emptyProps, props } from '@ngrx/store';
import type { VoiceErrorInfo } from '@switchboard/shared-voice-model';

/** The SDK's Device reported it; nobody commanded it. */
export const DeviceSdkEvents = createActionGroup({
  source: 'Voice SDK Device',
  events: {
    Created: props<{ sdkVersion: string }>(),
    Registering: emptyProps(),
    Registered: props<{ edge: string | null }>(),
    Unregistered: emptyProps(),
    Destroyed: emptyProps(),
    'Token Will Expire': emptyProps(),
    Failed: props<{ error: VoiceErrorInfo; at: number }>(),
  },
});
