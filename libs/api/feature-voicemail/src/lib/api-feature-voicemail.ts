export function apiFeatureVoicemail(): string {
  return 'api-feature-voicemail';
}
