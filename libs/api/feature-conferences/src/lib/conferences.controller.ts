import { Body, Controller, Headers, HttpCode, HttpStatus, Logger, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CallbackInboxRepository } from '@switchboard/api-data-access-db';
import { TwilioWebhook } from '@switchboard/api-data-access-telephony';
import { FieldException } from '@switchboard/api-http-boundary';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { parseConferenceCallback } from './conference-callback-params';
import { ConferenceCallbackProcessor, RECEIVED_AT_KEY } from './conference-callback-processor';

const IDEMPOTENCY_HEADER = 'i-twilio-idempotency-token';

/**
 * Conference status callbacks. Delivery is at-least-once in any order: each is written raw to the
 * callback inbox first (one row per conference SID + SequenceNumber), then applied and marked done, so a
 * crash in between loses nothing (the sweep finishes it) and replays change nothing. Answers 204 — also
 * to a signed callback with bad or unknown values, which is logged and not applied: the request is
 * Twilio's, and another answer would only make Twilio report or retry it. A database failure answers
 * 503 so Twilio retries.
 */
@ApiExcludeController()
@Controller()
@TwilioWebhook()
export class ConferencesController {
  private readonly logger = new Logger('ConferencesController');

  constructor(private readonly inbox: CallbackInboxRepository, private readonly processor: ConferenceCallbackProcessor) {}

  @Post(WEBHOOK_ROUTES.conferenceStatus)
  @HttpCode(204)
  async conferenceStatus(@Body() body: unknown, @Headers(IDEMPOTENCY_HEADER) token?: string): Promise<void> {
    const receivedAt = new Date();
    const params = rawPayload(body);
    const parsed = parseConferenceCallback(params, receivedAt);
    if (!parsed.ok) {
      this.logger.warn(`Conference callback ignored: ${parsed.reason}`);
      return;
    }
    for (const note of parsed.notes) this.logger.warn(`Conference callback ${parsed.deliveryKey}: ${note}`);
    try {
      const stored = await this.inbox.receive({
        kind: 'conference', deliveryKey: parsed.deliveryKey, idempotencyToken: tokenOf(token), params, query: { [RECEIVED_AT_KEY]: receivedAt.toISOString() },
      });
      if (stored.alreadyProcessed) {
        this.logger.log(`Conference callback ${parsed.deliveryKey} was already processed; ignored`);
        return;
      }
      await this.processor.processStored({ id: stored.id, kind: 'conference', params, query: { [RECEIVED_AT_KEY]: receivedAt.toISOString() } });
    } catch (error) {
      this.logger.error(`Conference callback ${parsed.deliveryKey} not processed: ${(error as Error).message}`);
      // Twilio retries a 5xx (and the sweep finishes a row that was written): a 500 would read as our bug.
      throw new FieldException(HttpStatus.SERVICE_UNAVAILABLE, 'The callback could not be stored or processed now; retry later');
    }
  }
}

function tokenOf(header: string | undefined): string | null {
  return typeof header === 'string' && header.length > 0 ? header.slice(0, 128) : null;
}

/**
 * Every received parameter that is a plain string, as stored: Postgres refuses U+0000 in text and jsonb
 * (a callback carrying `%00` would fail on every retry), so it becomes U+FFFD.
 */
export function rawPayload(body: unknown): Record<string, string> {
  const payload: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return payload;
  for (const [key, value] of Object.entries(body as Record<string, unknown>).slice(0, 100)) {
    if (typeof value === 'string') payload[storable(key.slice(0, 64))] = storable(value.slice(0, 1024));
  }
  return payload;
}

const storable = (value: string) => value.replaceAll('\u0000', '\uFFFD');
