export function apiFeatureCallHistory(): string {
  return 'api-feature-call-history';
}
