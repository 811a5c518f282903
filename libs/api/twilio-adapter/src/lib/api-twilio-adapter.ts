export function apiTwilioAdapter(): string {
  return 'api-twilio-adapter';
}
