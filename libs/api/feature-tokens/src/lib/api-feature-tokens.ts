export function apiFeatureTokens(): string {
  return 'api-feature-tokens';
}
