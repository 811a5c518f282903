import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { CallSummaries, TelephonyError } from '@switchboard/api-data-access-telephony';
import type { TwilioCallSummary } from '@switchboard/shared-contracts';
import type twilio from 'twilio';
import { lazyTwilioRestClient } from './twilio-rest';

/** What the twilio client's CallSummaryInstance carries that Switchboard keeps (Twilio's snake_case inside `properties`). */
export interface CallSummaryPayload {
  readonly tags?: readonly string[] | null;
  readonly callState?: string | null;
  readonly processingState?: string | null;
  readonly properties?: unknown;
}

/**
 * Voice Insights' Call Summary through the twilio client (`insights.v1.calls(sid).summary().fetch()`);
 * the client's RequestClient re-bases insights.twilio.com onto the sandbox in sandbox mode, so the same
 * code reads the sandbox's `GET /v1/Voice/{CallSid}/Summary`.
 */
@Injectable()
export class TwilioCallSummaries extends CallSummaries {
  private readonly rest: () => twilio.Twilio;
  private get client(): twilio.Twilio { return this.rest(); }

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.rest = lazyTwilioRestClient(config);
  }

  async fetch(callSid: string): Promise<TwilioCallSummary | null> {
    try {
      return callSummaryOf(await this.client.insights.v1.calls(callSid).summary().fetch());
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 404) return null;
      throw new TelephonyError(`REST Voice/${callSid}/Summary fetch failed: ${(error as Error).message}`, typeof status === 'number' ? status : null);
    }
  }
}

/**
 * Twilio's names to Switchboard's: `properties.disconnected_by` is who hung up; the post-dial delay is
 * `properties.pdd_ms` (ms), or `properties.post_dial_delay` where only that is given. Anything not of
 * the expected type is left out (null) rather than trusted.
 */
export function callSummaryOf(payload: CallSummaryPayload): TwilioCallSummary {
  const properties = (typeof payload.properties === 'object' && payload.properties !== null ? payload.properties : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  const ms = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  return {
    tags: Array.isArray(payload.tags) ? payload.tags.filter((tag): tag is string => typeof tag === 'string') : [],
    whoHungUp: text(properties['disconnected_by']),
    postDialDelayMs: ms(properties['pdd_ms']) ?? ms(properties['post_dial_delay']),
    callState: text(payload.callState),
    processingState: text(payload.processingState),
  };
}
