import { inject } from '@angular/core';
import { createEffect } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import type { QualityEvent } from '@switchboard/shared-voice-model';
import { map } from 'rxjs';
import { VOICE_PORT } from '../ports/voice-port';
import { QualitySdkEvents } from './quality-sdk.actions';

export function toQualityAction(event: QualityEvent): Action {
  switch (event.kind) {
    case 'warning':
      return QualitySdkEvents.warningRaised({ callId: event.callId, name: event.name });
    case 'warning-cleared':
      return QualitySdkEvents.warningCleared({ callId: event.callId, name: event.name });
    case 'sample':
      return QualitySdkEvents.sampleReceived({ callId: event.callId, sample: event.sample });
    case 'volume':
      return QualitySdkEvents.volumeChanged({ callId: event.callId, input: event.input, output: event.output });
  }
}

export const qualityEventsToActions = createEffect(
  (voice = inject(VOICE_PORT)) => {
    return voice.qualityEvents$.pipe(map(toQualityAction));
  },
  { functional: true },
);

export const qualityEffects = { qualityEventsToActions };
