import { ConfigError, loadAppConfig } from './app-config';

/** A complete, valid twilio-mode environment (fake but well-formed values) for config specs to vary. */
export const TWILIO_ENV = {
  SWITCHBOARD_MODE: 'twilio',
  PUBLIC_BASE_URL: 'https://voice.example.com',
  TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'a'.repeat(32),
  TWILIO_API_KEY_SID: `SK${'2'.repeat(32)}`,
  TWILIO_API_KEY_SECRET: 'b'.repeat(32),
  TWILIO_TWIML_APP_SID: `AP${'3'.repeat(32)}`,
  TWILIO_CALLER_ID: '+14155550100',
};

/** Every problem start-up would report for `env` (none: an empty list). */
export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadAppConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}
