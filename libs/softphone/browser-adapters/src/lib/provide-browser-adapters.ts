import { DOCUMENT } from '@angular/common';
import { inject, makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import {
  DESKTOP_NOTIFICATIONS,
  DEVICE_PREFERENCES_STORAGE,
  DOCUMENT_TITLE,
  MICROPHONE_ACCESS,
  PAGE_LIFECYCLE,
  TAB_LEADERSHIP,
} from '@switchboard/softphone-data-access-voice';
import { BrowserDesktopNotifications, type NotificationWindow } from './browser-desktop-notifications';
import { BrowserDocumentTitle } from './browser-document-title';
import { BrowserMicrophoneAccess, MICROPHONE_GET_USER_MEDIA, type GetUserMedia } from './browser-microphone-access';
import { BrowserPageLifecycle } from './browser-page-lifecycle';
import { LocalStorageDevicePreferences } from './local-storage-device-preferences';
import { WebLocksTabLeadership } from './web-locks-tab-leadership';

export interface BrowserAdapterOptions {
  /** A virtual desktop's getUserMedia for the microphone check; pass the one given to `provideTwilioVoice({ webRtc })`. */
  readonly getUserMedia?: GetUserMedia;
}

/** Binds data-access-voice's browser ports to the browser: microphone, page events, Web Locks, localStorage, notifications, title. */
export function provideBrowserAdapters(options: BrowserAdapterOptions = {}): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: MICROPHONE_GET_USER_MEDIA, useValue: options.getUserMedia ?? null },
    { provide: MICROPHONE_ACCESS, useExisting: BrowserMicrophoneAccess },
    { provide: PAGE_LIFECYCLE, useExisting: BrowserPageLifecycle },
    { provide: TAB_LEADERSHIP, useExisting: WebLocksTabLeadership },
    { provide: DEVICE_PREFERENCES_STORAGE, useFactory: () => new LocalStorageDevicePreferences() },
    { provide: DESKTOP_NOTIFICATIONS, useFactory: () => new BrowserDesktopNotifications(inject(DOCUMENT).defaultView as NotificationWindow | null) },
    { provide: DOCUMENT_TITLE, useExisting: BrowserDocumentTitle },
  ]);
}
