import { loadAppConfig } from './app-config';
import { TWILIO_ENV, problemsOf } from './config-spec-helpers';
import { redactRedisUrl } from './redis-config';

const URL_RULE = 'REDIS_URL must be redis://[user:password@]host[:port][/db] or rediss://… for TLS, db 0 to 15, no query or fragment (value not shown)';

describe('REDIS_URL and REDIS_KEY_PREFIX', () => {
  it('default to no Redis (one instance, the in-process bus), in both modes and when blank', () => {
    expect(loadAppConfig({}).redis).toBeNull();
    expect(loadAppConfig({ REDIS_URL: '  ' }).redis).toBeNull();
    expect(loadAppConfig(TWILIO_ENV).redis).toBeNull();
  });

  it.each([
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['redis://cache.internal', 'redis://cache.internal'],
    [' redis://:s3cret@10.0.0.5:6380/4 ', 'redis://:s3cret@10.0.0.5:6380/4'],
    ['rediss://default:pw@redis.example.com:6380/0', 'rediss://default:pw@redis.example.com:6380/0'],
    ['redis://[::1]:6379/', 'redis://[::1]:6379/'],
  ])('takes %s as given, with the default prefix', (value, url) => {
    expect(loadAppConfig({ REDIS_URL: value }).redis).toEqual({ url, keyPrefix: 'switchboard:' });
  });

  it.each([
    'localhost:6379', '127.0.0.1', 'http://127.0.0.1:6379', 'redis://', 'redis://:6379', 'redis://127.0.0.1:99999',
    'redis://127.0.0.1:6379/16', 'redis://127.0.0.1:6379/db', 'redis://127.0.0.1/0/1', 'redis://127.0.0.1:6379?family=6',
    'redis://127.0.0.1:6379#x', 'redis://:s3cret@127.0.0.1:6379/99',
  ])('refuses %s at start-up, naming the variable', (value) => {
    expect(problemsOf({ REDIS_URL: value })).toEqual([URL_RULE]);
  });

  it('never echoes the value, which may hold a password', () => {
    expect(problemsOf({ REDIS_URL: 'redis://:s3cret@127.0.0.1:6379/99' }).join()).not.toContain('s3cret');
  });

  it('reports a bad REDIS_URL among the other problems, so start-up names them all at once', () => {
    expect(problemsOf({ ...TWILIO_ENV, REDIS_URL: 'redis//nope', LIVE_EVENTS_HEARTBEAT_SECONDS: '0' })).toEqual([
      expect.stringMatching(/^LIVE_EVENTS_HEARTBEAT_SECONDS must be/), URL_RULE,
    ]);
  });

  it('takes a prefix of letters, digits and : _ . -, and refuses others even without REDIS_URL', () => {
    expect(loadAppConfig({ REDIS_URL: 'redis://127.0.0.1', REDIS_KEY_PREFIX: 'staging.sb:' }).redis?.keyPrefix).toBe('staging.sb:');
    for (const bad of ['with space', 'star*', 'x'.repeat(65), 'ünï']) {
      expect(problemsOf({ REDIS_URL: 'redis://127.0.0.1', REDIS_KEY_PREFIX: bad })).toEqual(['REDIS_KEY_PREFIX must be 1 to 64 letters, digits or : _ . -']);
    }
    expect(problemsOf({ REDIS_KEY_PREFIX: 'a b' })).toEqual(['REDIS_KEY_PREFIX must be 1 to 64 letters, digits or : _ . -']);
  });

  it('redacts credentials for logs', () => {
    expect(redactRedisUrl('redis://user:s3cret@10.0.0.5:6380/4')).toBe('redis://10.0.0.5:6380/4');
    expect(redactRedisUrl('rediss://:pw@cache')).toBe('rediss://cache');
  });
});
