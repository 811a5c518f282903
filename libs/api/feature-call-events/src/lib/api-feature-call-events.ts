export function apiFeatureCallEvents(): string {
  return 'api-feature-call-events';
}
