import { loadAppConfig } from '@switchboard/api-data-access-config';
import type { OutboundCallCaps, RetentionRepository, SessionsRepository } from '@switchboard/api-data-access-db';
import type { RecordingRemover } from '@switchboard/api-data-access-telephony';
import { RetentionSweeper } from './retention-sweeper';

/** The schedule and the cut-offs over fakes; the deletes themselves are tested against the app (privacy-retention e2e). */
function sweeperWith(env: Record<string, string>) {
  const calls: string[] = [];
  const sweeper = new RetentionSweeper(
    loadAppConfig(env),
    { deleteExpired: async (now: Date) => void calls.push(`sessions<=${now.toISOString()}`) } as unknown as SessionsRepository,
    {
      clearCallEventPayloadsBefore: async (before: Date) => { calls.push(`payloads<${before.toISOString()}`); return 0; },
      voicemailsReceivedBefore: async (before: Date) => { calls.push(`voicemails<${before.toISOString()}`); return []; },
      deleteVoicemail: async () => true,
      deleteOutboundRefusalsBefore: async (before: Date) => { calls.push(`refusals<${before.toISOString()}`); return 0; },
      deleteSignInFailuresOutsideWindow: async (seconds: number) => { calls.push(`sign-in failures older than ${seconds}s`); return 0; },
      deleteIntendedLeavesBefore: async (before: Date) => { calls.push(`intended leaves<${before.toISOString()}`); return 0; },
    } as unknown as RetentionRepository,
    { purgeGrantsBefore: async (before: Date) => { calls.push(`grants<${before.toISOString()}`); return 0; } } as unknown as OutboundCallCaps,
    { remove: async () => 'deleted' } as unknown as RecordingRemover,
  );
  return { sweeper, calls };
}

describe('RetentionSweeper', () => {
  afterEach(() => jest.useRealTimers());

  it('cuts off at each retention setting and skips a setting of 0 days', async () => {
    const now = new Date('2026-12-06T00:00:00Z');
    const { sweeper, calls } = sweeperWith({
      CALL_EVENT_PAYLOAD_RETENTION_DAYS: '7', VOICEMAIL_RETENTION_DAYS: '0', OUTBOUND_REFUSAL_RETENTION_DAYS: '30', SIGN_IN_WINDOW_SECONDS: '600',
    });
    await sweeper.sweep(now);
    expect(calls).toEqual([
      'sessions<=2026-12-06T00:00:00.000Z', 'sign-in failures older than 600s', 'grants<2026-12-04T00:00:00.000Z',
      'intended leaves<2026-12-05T00:00:00.000Z',
      'payloads<2026-11-29T00:00:00.000Z', 'refusals<2026-11-06T00:00:00.000Z',
    ]);
    calls.length = 0;
    await sweeperWith({ OUTBOUND_REFUSAL_RETENTION_DAYS: '0', VOICEMAIL_RETENTION_DAYS: '0', CALL_EVENT_PAYLOAD_RETENTION_DAYS: '0' }).sweeper.sweep(now);
    expect(calls.filter((c) => c.startsWith('refusals'))).toEqual([]);
  });

  it('sweeps once at start and then every interval, and stops on shutdown', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-06T00:00:00Z') });
    const { sweeper, calls } = sweeperWith({ RETENTION_SWEEP_INTERVAL_SECONDS: '600' });
    const sessionSweeps = () => calls.filter((c) => c.startsWith('sessions')).length;
    sweeper.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(1);
    expect(sessionSweeps()).toBe(1);
    await jest.advanceTimersByTimeAsync(600_000);
    expect(sessionSweeps()).toBe(2);
    await sweeper.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(1_200_000);
    expect(sessionSweeps()).toBe(2);
  });

  it('schedules nothing when the interval is 0', async () => {
    jest.useFakeTimers();
    const { sweeper, calls } = sweeperWith({ RETENTION_SWEEP_INTERVAL_SECONDS: '0' });
    sweeper.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(86_400_000);
    expect(calls).toEqual([]);
  });
});
