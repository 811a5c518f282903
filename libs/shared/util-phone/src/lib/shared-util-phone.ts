export function sharedUtilPhone(): string {
  return 'shared-util-phone';
}
