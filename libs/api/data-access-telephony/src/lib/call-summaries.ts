import type { TwilioCallSummary } from '@switchboard/shared-contracts';

/**
 * Reads Voice Insights' Call Summary of a leg (`GET /v1/Voice/{CallSid}/Summary` on insights.twilio.com;
 * the sandbox serves the same path in sandbox mode). Issue 14 keeps it beside the leg's quality record.
 */
export abstract class CallSummaries {
  /** Null when the provider has no summary for the leg (404, e.g. not processed yet); throws TelephonyError otherwise. */
  abstract fetch(callSid: string): Promise<TwilioCallSummary | null>;
}
