import { makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import { DEVICE_PREFERENCES_STORAGE, MICROPHONE_ACCESS, PAGE_LIFECYCLE, TAB_LEADERSHIP } from '@switchboard/softphone-data-access-voice';
import { BrowserMicrophoneAccess, MICROPHONE_GET_USER_MEDIA, type GetUserMedia } from './browser-microphone-access';
import { BrowserPageLifecycle } from './browser-page-lifecycle';
import { LocalStorageDevicePreferences } from './local-storage-device-preferences';
import { WebLocksTabLeadership } from './web-locks-tab-leadership';

export interface BrowserAdapterOptions {
  /** A virtual desktop's getUserMedia for the microphone check; pass the one given to `provideTwilioVoice({ webRtc })`. */
  readonly getUserMedia?: GetUserMedia;
}

/** Binds data-access-voice's browser ports to the browser: microphone, page events, Web Locks, localStorage. */
export function provideBrowserAdapters(options: BrowserAdapterOptions = {}): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: MICROPHONE_GET_USER_MEDIA, useValue: options.getUserMedia ?? null },
    { provide: MICROPHONE_ACCESS, useExisting: BrowserMicrophoneAccess },
    { provide: PAGE_LIFECYCLE, useExisting: BrowserPageLifecycle },
    { provide: TAB_LEADERSHIP, useExisting: WebLocksTabLeadership },
    { provide: DEVICE_PREFERENCES_STORAGE, useFactory: () => new LocalStorageDevicePreferences() },
  ]);
}
