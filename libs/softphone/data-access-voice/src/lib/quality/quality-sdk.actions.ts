import { createActionGroup, props } from '@ngrx/store';
import type { CallId, QualitySample, QualityWarningName } from '@switchboard/shared-voice-model';

export const QualitySdkEvents = createActionGroup({
  source: 'Voice SDK Quality',
  events: {
    'Warning Raised': props<{ callId: CallId; name: QualityWarningName }>(),
    'Warning Cleared': props<{ callId: CallId; name: QualityWarningName }>(),
    'Sample Received': props<{ callId: CallId; sample: QualitySample }>(),
    'Volume Changed': props<{ callId: CallId; input: number; output: number }>(),
  },
});
