export function sharedVoiceModel(): string {
  return 'shared-voice-model';
}
