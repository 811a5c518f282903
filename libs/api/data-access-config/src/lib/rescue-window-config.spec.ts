import { loadAppConfig } from './app-config';
import { TWILIO_ENV, problemsOf } from './config-spec-helpers';

describe('RESCUE_WINDOW_SECONDS', () => {
  it('defaults to 60 seconds in both modes', () => {
    expect(loadAppConfig({}).calls.rescueWindowSeconds).toBe(60);
    expect(loadAppConfig(TWILIO_ENV).calls.rescueWindowSeconds).toBe(60);
    expect(loadAppConfig({ RESCUE_WINDOW_SECONDS: '  ' }).calls.rescueWindowSeconds).toBe(60);
  });

  it('accepts whole seconds from 5 to 600', () => {
    expect(loadAppConfig({ RESCUE_WINDOW_SECONDS: '5' }).calls.rescueWindowSeconds).toBe(5);
    expect(loadAppConfig({ ...TWILIO_ENV, RESCUE_WINDOW_SECONDS: '600' }).calls.rescueWindowSeconds).toBe(600);
  });

  it.each(['4', '601', '0', '-10', '30s', '1.5', 'sixty'])('refuses to start with %j (fail closed)', (value) => {
    expect(problemsOf({ RESCUE_WINDOW_SECONDS: value })).toEqual([expect.stringMatching(/^RESCUE_WINDOW_SECONDS must be .*between 5 and 600 \(seconds\)$/)]);
  });
});
