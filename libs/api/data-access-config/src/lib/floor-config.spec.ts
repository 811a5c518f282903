import { loadAppConfig } from './app-config';
import { TWILIO_ENV, problemsOf } from './config-spec-helpers';

describe('the team floor settings', () => {
  it('default to routing by availability, a 15 s presence timeout, 15 s per longest-idle agent, a 120 s queue and UTC', () => {
    for (const env of [{}, TWILIO_ENV]) {
      expect(loadAppConfig(env).floor).toEqual({
        presenceTimeoutSeconds: 15, routeOnlyAvailable: true, longestIdleRingSeconds: 15, queueMaxWaitSeconds: 120, timeZone: 'UTC',
      });
    }
  });

  it('takes configured values, 0 turning the queue off', () => {
    expect(loadAppConfig({
      PRESENCE_TIMEOUT_SECONDS: '30', ROUTE_ONLY_AVAILABLE: 'false', LONGEST_IDLE_RING_SECONDS: '8', QUEUE_MAX_WAIT_SECONDS: '0', FLOOR_TIME_ZONE: 'Europe/Paris',
    }).floor).toEqual({ presenceTimeoutSeconds: 30, routeOnlyAvailable: false, longestIdleRingSeconds: 8, queueMaxWaitSeconds: 0, timeZone: 'Europe/Paris' });
  });

  it.each([
    // Below the heartbeat (5 s) plus one: every agent would flap between reports.
    [{ PRESENCE_TIMEOUT_SECONDS: '5' }, 'PRESENCE_TIMEOUT_SECONDS must be between 6 and 300 (seconds; the softphone reports every 5 s)'],
    [{ ROUTE_ONLY_AVAILABLE: 'yes' }, 'ROUTE_ONLY_AVAILABLE must be "true" or "false"'],
    [{ LONGEST_IDLE_RING_SECONDS: '4' }, 'LONGEST_IDLE_RING_SECONDS must be between 5 and 120 (seconds)'],
    [{ QUEUE_MAX_WAIT_SECONDS: '-1' }, 'QUEUE_MAX_WAIT_SECONDS must be a whole number between 0 and 3600 (seconds; 0 = no queue, straight to voicemail)'],
    [{ FLOOR_TIME_ZONE: 'Mars/Olympus' }, 'FLOOR_TIME_ZONE must be an IANA time zone such as UTC or Europe/Paris'],
  ])('refuses %j, naming the variable', (env, problem) => {
    expect(problemsOf(env)).toEqual([problem]);
  });
});
