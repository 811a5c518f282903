import { loadAppConfig } from './app-config';
import { TWILIO_ENV, problemsOf } from './config-spec-helpers';

describe('the call quality settings', () => {
  it('default to 90 days of records and a line test offered when older than 24 h (also told to the softphone)', () => {
    for (const env of [{}, TWILIO_ENV]) {
      const config = loadAppConfig(env);
      expect(config.quality).toEqual({ retentionDays: 90, lineTestMaxAgeHours: 24 });
      expect(config.client.lineTestMaxAgeHours).toBe(24);
    }
  });

  it('takes configured values', () => {
    const config = loadAppConfig({ QUALITY_RETENTION_DAYS: '7', LINE_TEST_MAX_AGE_HOURS: '720' });
    expect(config.quality).toEqual({ retentionDays: 7, lineTestMaxAgeHours: 720 });
    expect(config.client.lineTestMaxAgeHours).toBe(720);
  });

  it.each([
    [{ QUALITY_RETENTION_DAYS: '0' }, 'QUALITY_RETENTION_DAYS must be between 1 and 3650 (days)'],
    [{ QUALITY_RETENTION_DAYS: '3651' }, 'QUALITY_RETENTION_DAYS must be between 1 and 3650 (days)'],
    [{ QUALITY_RETENTION_DAYS: 'ninety' }, 'QUALITY_RETENTION_DAYS must be a whole number between 1 and 3650 (days)'],
    [{ LINE_TEST_MAX_AGE_HOURS: '0' }, 'LINE_TEST_MAX_AGE_HOURS must be between 1 and 720 (hours)'],
    [{ LINE_TEST_MAX_AGE_HOURS: '1.5' }, 'LINE_TEST_MAX_AGE_HOURS must be a whole number between 1 and 720 (hours)'],
  ])('refuses %j, naming the variable', (env, problem) => {
    expect(problemsOf(env)).toEqual([problem]);
  });
});
