export { SoftphoneSettings } from './lib/softphone-settings';
export { settingsRoutes } from './lib/settings.routes';
export { formatDiagnostics } from './lib/diagnostics-report';
