import { makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import { DEVICE_PREFERENCES_STORAGE, PAGE_LIFECYCLE, TAB_LEADERSHIP } from '@switchboard/softphone-data-access-voice';
import { BrowserPageLifecycle } from './browser-page-lifecycle';
import { LocalStorageDevicePreferences } from './local-storage-device-preferences';
import { WebLocksTabLeadership } from './web-locks-tab-leadership';

/** Binds data-access-voice's browser ports to the browser: page events, Web Locks, localStorage. */
export function provideBrowserAdapters(): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: PAGE_LIFECYCLE, useExisting: BrowserPageLifecycle },
    { provide: TAB_LEADERSHIP, useExisting: WebLocksTabLeadership },
    { provide: DEVICE_PREFERENCES_STORAGE, useFactory: () => new LocalStorageDevicePreferences() },
  ]);
}
