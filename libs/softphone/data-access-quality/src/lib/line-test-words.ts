import { LINE_TEST_VERDICT_TEXT, type LineTest } from '@switchboard/shared-contracts';
import { describeVoiceError, type VoiceErrorInfo } from '@switchboard/shared-voice-model';

/** As the adapter's default: a line test older than a day is offered again when the server does not say. */
export const DEFAULT_LINE_TEST_MAX_AGE_HOURS = 24;

/** The SDK's code for a call cancelled (PreflightTest.stop()). */
const CALL_CANCELLED_CODE = 31008;

/** What a failed test tells the agent: what happened and what to do (the SDK error vocabulary's words). */
export function lineTestFailureMessage(error: VoiceErrorInfo): string {
  if (error.code === CALL_CANCELLED_CODE) return 'The test was stopped before it finished. Run it again when you are ready.';
  return `The line test failed: ${error.message} ${error.nextStep}`.trim();
}

/** A stored test's result in words: the verdict and what to do, or for a failed test what failed and what to do. */
export function lineTestOutcome(test: Pick<LineTest, 'verdict' | 'error'>): { readonly title: string; readonly advice: string; readonly failed: boolean } {
  if (test.error) return { title: 'Failed', advice: lineTestFailureMessage(describeVoiceError(test.error.code, test.error.message)), failed: true };
  const words = LINE_TEST_VERDICT_TEXT[test.verdict];
  return { title: words.title, advice: words.advice, failed: false };
}
