/**
 * @switchboard/softphone-browser-adapters: the browser behind data-access-voice's ports (page
 * lifecycle, tab leadership, device preferences, microphone permission,
 * desktop notifications, tab title). App shell: `provideBrowserAdapters()`.
 */
export { provideBrowserAdapters, type BrowserAdapterOptions } from './lib/provide-browser-adapters';
export { BrowserMicrophoneAccess, MICROPHONE_GET_USER_MEDIA, type GetUserMedia } from './lib/browser-microphone-access';
export { BrowserPageLifecycle } from './lib/browser-page-lifecycle';
export { WebLocksTabLeadership } from './lib/web-locks-tab-leadership';
export { LocalStorageDevicePreferences, parseDevicePreferences, parseEdgePreference } from './lib/local-storage-device-preferences';
export { BrowserDesktopNotifications, type NotificationWindow } from './lib/browser-desktop-notifications';
export { BrowserDocumentTitle } from './lib/browser-document-title';
