export { SoftphoneShell } from './lib/softphone-shell';
export { SoftphonePanel } from './lib/softphone-panel';
export { panelRoutes } from './lib/panel.routes';
export { ThemePreferenceStore } from './lib/theme-preference';
export { announcementFor } from './lib/softphone-announcer';
export { shortcutAction, isEditable } from './lib/softphone-shortcuts';
