export function sandboxFeatureRest(): string {
  return 'sandbox-feature-rest';
}
