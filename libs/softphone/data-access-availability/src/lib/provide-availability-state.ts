import { makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';
import { availabilityEffects } from './availability.effects';
import { availabilityFeature } from './availability.feature';
import { presenceReporterEffects } from './presence-reporter.effects';

/**
 * The availability slice, its effects and the presence reporter. Needs `provideVoiceState()` (the connection,
 * call and quality slices, PAGE_LIFECYCLE) and the ports AVAILABILITY_PORT, PRESENCE_PORT and, for live
 * changes, AVAILABILITY_LIVE_EVENTS_PORT (`provideAvailabilityApi()` from data-access-api).
 */
export function provideAvailabilityState(): EnvironmentProviders {
  return makeEnvironmentProviders([provideState(availabilityFeature), provideEffects(availabilityEffects, presenceReporterEffects)]);
}
