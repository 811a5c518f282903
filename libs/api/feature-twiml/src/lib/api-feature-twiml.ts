export function apiFeatureTwiml(): string {
  return 'api-feature-twiml';
}
