import type { QualityRepository } from '@switchboard/api-data-access-db';
import { CallSummaries, TelephonyError } from '@switchboard/api-data-access-telephony';
import type { TwilioCallSummary } from '@switchboard/shared-contracts';
import { SUMMARY_RETRY_MS, TwilioSummaryRefresher } from './twilio-summary-refresher';

const SID = `CA${'1'.repeat(32)}`;
const summary = (processingState: string): TwilioCallSummary => ({ tags: ['high_jitter'], whoHungUp: 'caller', postDialDelayMs: 900, callState: 'completed', processingState });

/** A fake port answering from a queue; a refresher over it whose clock the test moves. */
function setUp(answers: Array<TwilioCallSummary | null | Error>) {
  const asked: string[] = [];
  const stored: Array<[string, TwilioCallSummary]> = [];
  class FakeSummaries extends CallSummaries {
    async fetch(callSid: string): Promise<TwilioCallSummary | null> {
      asked.push(callSid);
      const answer = answers.shift() ?? null;
      if (answer instanceof Error) throw answer;
      return answer;
    }
  }
  const repository = { setTwilioSummary: async (callSid: string, value: TwilioCallSummary) => { stored.push([callSid, value]); } } as unknown as QualityRepository;
  const refresher = new TwilioSummaryRefresher(new FakeSummaries(), repository);
  let now = 1_000_000;
  refresher.clock = () => now;
  return { refresher, asked, stored, advance: (ms: number) => { now += ms; } };
}

describe('TwilioSummaryRefresher', () => {
  it('fetches in the background and keeps what came back', async () => {
    const { refresher, asked, stored } = setUp([summary('partial')]);
    refresher.refresh(SID);
    await refresher.whenIdle();
    expect(asked).toEqual([SID]);
    expect(stored).toEqual([[SID, summary('partial')]]);
  });

  it('asks again for the same leg only once a minute has passed', async () => {
    const { refresher, asked, advance } = setUp([null, null, summary('complete')]);
    refresher.refresh(SID);
    await refresher.whenIdle();
    advance(SUMMARY_RETRY_MS - 1);
    refresher.refresh(SID);
    expect(asked).toHaveLength(1);
    advance(1);
    refresher.refresh(SID);
    await refresher.whenIdle();
    expect(asked).toHaveLength(2);
  });

  it('logs a failure instead of throwing, and stores nothing for a missing summary', async () => {
    const { refresher, stored } = setUp([new TelephonyError('down', 503), null]);
    refresher.refresh(SID);
    refresher.refresh(`CA${'2'.repeat(32)}`);
    await expect(refresher.whenIdle()).resolves.toBeUndefined();
    expect(stored).toEqual([]);
  });

  it('counts a missing or partial summary as stale, a complete one as final', () => {
    expect(TwilioSummaryRefresher.isStale(null)).toBe(true);
    expect(TwilioSummaryRefresher.isStale(summary('partial'))).toBe(true);
    expect(TwilioSummaryRefresher.isStale(summary('complete'))).toBe(false);
  });
});
