export function sandboxFeatureSignaling(): string {
  return 'sandbox-feature-signaling';
}
