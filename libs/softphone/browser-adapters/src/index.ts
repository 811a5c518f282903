/**
 * @switchboard/softphone-browser-adapters: the browser behind data-access-voice's ports (page
 * lifecycle, tab leadership, device preferences). App shell: `provideBrowserAdapters()`.
 */
export { provideBrowserAdapters } from './lib/provide-browser-adapters';
export { BrowserPageLifecycle } from './lib/browser-page-lifecycle';
export { WebLocksTabLeadership } from './lib/web-locks-tab-leadership';
export { LocalStorageDevicePreferences, parseDevicePreferences, parseEdgePreference } from './lib/local-storage-device-preferences';
