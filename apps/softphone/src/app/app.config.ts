import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { type ApplicationConfig, inject, isDevMode, provideAppInitializer, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding, withPreloading } from '@angular/router';
import { provideStore } from '@ngrx/store';
import { provideEffects } from '@ngrx/effects';
import { provideBrowserAdapters } from '@switchboard/softphone-browser-adapters';
import { ClientConfigStore, provideAvailabilityApi, provideCallControlApi, provideVoiceSession, sessionExpiryInterceptor } from '@switchboard/softphone-data-access-api';
import { provideAvailabilityState } from '@switchboard/softphone-data-access-availability';
import { provideCallQuality } from '@switchboard/softphone-data-access-quality';
import { provideVoiceState } from '@switchboard/softphone-data-access-voice';
import { LOAD_CLIENT_CONFIG, provideTwilioVoice, provideVoiceSdkPreload } from '@switchboard/softphone-voice-sdk-adapter';
import { appRoutes } from './app.routes';
import { PreloadPhoneStrategy } from './preload-phone.strategy';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(appRoutes, withComponentInputBinding(), withPreloading(PreloadPhoneStrategy)),
    provideHttpClient(withFetch(), withInterceptors([sessionExpiryInterceptor])),
    provideStore(
      {},
      {
        runtimeChecks: {
          strictStateSerializability: isDevMode(),
          strictActionSerializability: isDevMode(),
          strictStateImmutability: isDevMode(),
          strictActionImmutability: isDevMode(),
        },
      },
    ),
    provideEffects(),
    provideVoiceState(),
    provideTwilioVoice(),
    // The SDK chunk is fetched once the first screen is idle, so the first register() after sign-in does not wait for it.
    provideVoiceSdkPreload(),
    provideBrowserAdapters(),
    provideVoiceSession(),
    // Hold, transfer and rejoin over /api/calls, and the call's live changes over /api/events.
    provideCallControlApi(),
    // Availability (status menu, wrap-up) and the presence reporter, over /api/availability, /api/presence and /api/events.
    provideAvailabilityState(),
    provideAvailabilityApi(),
    // Issue 14: every call's quality record (samples, warnings, set-up, media facts), sent at its end or kept until it gets through.
    provideCallQuality(),
    // GET /api/client-config once, before the first screen; a failure is kept as state, not thrown.
    provideAppInitializer(() => inject(ClientConfigStore).load()),
    // The adapter reads the same config (sandbox host, edge, log level) instead of fetching it again.
    {
      provide: LOAD_CLIENT_CONFIG,
      useFactory: () => {
        const clientConfig = inject(ClientConfigStore);
        return () => (clientConfig.config() ? Promise.resolve(clientConfig.config()) : clientConfig.load());
      },
    },
  ],
};
