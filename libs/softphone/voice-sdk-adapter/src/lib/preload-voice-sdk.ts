import { DOCUMENT } from '@angular/common';
import { inject, makeEnvironmentProviders, provideAppInitializer, type EnvironmentProviders } from '@angular/core';
import { markTiming } from './timing-marks';
import { LOAD_VOICE_SDK } from './voice-device-options';

/** Longest wait for an idle moment before the preload starts anyway (a page that is never idle). */
export const VOICE_SDK_PRELOAD_TIMEOUT_MS = 2000;

/**
 * Fetches and evaluates the SDK chunk once the first screen is up and the page is idle, so that the
 * first register() after sign-in finds it ready instead of waiting for ~180 kB on the agent's click.
 * It stays a lazy chunk: first paint never waits for it. A failed preload is ignored; register()
 * loads it again and reports SdkLoadFailed if that fails too. A second import() of the same chunk
 * resolves from the module map, so the adapter's own load then costs nothing.
 */
export function provideVoiceSdkPreload(): EnvironmentProviders {
  return makeEnvironmentProviders([
    provideAppInitializer(() => {
      const load = inject(LOAD_VOICE_SDK);
      const view = inject(DOCUMENT).defaultView;
      if (!view) return;
      const start = () => {
        markTiming('sb:sdk-preload-start');
        load().then(
          () => markTiming('sb:sdk-preload-end'),
          () => undefined,
        );
      };
      if (typeof view.requestIdleCallback === 'function') view.requestIdleCallback(start, { timeout: VOICE_SDK_PRELOAD_TIMEOUT_MS });
      else view.setTimeout(start, 0);
    }),
  ]);
}
