import { Body, Controller, Headers, HttpCode, HttpException, HttpStatus, Logger, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CallbackInboxRepository, type ReceivedCallback } from '@switchboard/api-data-access-db';
import { RecordingFetcher, TwilioWebhook } from '@switchboard/api-data-access-telephony';
import { badField, FieldException } from '@switchboard/api-http-boundary';
import { formParam, isIdentity, SID_PATTERNS, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { isE164 } from '@switchboard/shared-util-phone';
import { CallbackProcessor } from './callback-processor';
import { optionalDigits, rawPayload, requireCallSid, requireMatch, storableText } from './callback-params';

const IDEMPOTENCY_HEADER = 'i-twilio-idempotency-token';

/**
 * Status and recording callbacks. Delivery is at-least-once in any order: each callback is written to
 * the inbox first (one row per delivery key), then processed and marked done, so a crash in between
 * loses nothing (the sweep finishes it) and replays change nothing. Answers 204; malformed parameters
 * get 400 naming the field and nothing is written; a database failure answers 503 so Twilio retries.
 */
@ApiExcludeController()
@Controller()
@TwilioWebhook()
export class CallEventsController {
  private readonly logger = new Logger('CallEventsController');

  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly processor: CallbackProcessor,
    private readonly recordings: RecordingFetcher,
  ) {}

  @Post(WEBHOOK_ROUTES.status)
  @HttpCode(204)
  async status(@Body() body: unknown, @Headers(IDEMPOTENCY_HEADER) token?: string): Promise<void> {
    const callSid = requireCallSid(body);
    const callStatus = requireMatch(body, 'CallStatus', /^[a-z][a-z-]{0,31}$/, 'a call status such as ringing or completed');
    const sequence = optionalDigits(body, 'SequenceNumber');
    optionalDigits(body, 'CallDuration');
    await this.receive({
      kind: 'status',
      deliveryKey: `status:${callSid}:${callStatus}:${sequence ?? ''}`,
      idempotencyToken: tokenOf(token),
      params: rawPayload(body),
      query: {},
    });
  }

  @Post(WEBHOOK_ROUTES.recordingStatus)
  @HttpCode(204)
  async recordingStatus(@Body() body: unknown, @Query() query: unknown, @Headers(IDEMPOTENCY_HEADER) token?: string): Promise<void> {
    requireCallSid(body);
    const recordingSid = requireMatch(body, 'RecordingSid', SID_PATTERNS.recording, 'a recording SID (RE + 32 hex digits)');
    const status = requireMatch(body, 'RecordingStatus', /^[a-z-]{1,32}$/, 'a recording status such as completed');
    optionalDigits(body, 'RecordingDuration');
    const recordingUrl = formParam(body, 'RecordingUrl', 1024);
    // The URL is fetched server-side later with our credentials: only the REST origin is acceptable.
    if (recordingUrl === undefined || !this.recordings.isTrustedUrl(recordingUrl)) {
      throw badField('RecordingUrl', 'RecordingUrl must be a recording URL on the configured REST API origin');
    }
    await this.receive({
      kind: 'recording',
      deliveryKey: `recording:${recordingSid}:${status}`,
      idempotencyToken: tokenOf(token),
      params: rawPayload(body),
      query: dialledOf(query),
    });
  }

  private async receive(callback: ReceivedCallback): Promise<void> {
    try {
      const stored = await this.inbox.receive(callback);
      if (stored.alreadyProcessed) {
        this.logger.log(`Callback ${callback.deliveryKey} was already processed; ignored`);
        return;
      }
      await this.processor.processStored({ id: stored.id, kind: callback.kind, params: { ...callback.params }, query: { ...callback.query } });
    } catch (error) {
      if (error instanceof HttpException) throw error;
      this.logger.error(`Callback ${callback.deliveryKey} not processed: ${(error as Error).message}`);
      // Twilio retries a 5xx (and the sweep finishes a row that was written): a 500 would read as our bug.
      throw new FieldException(HttpStatus.SERVICE_UNAVAILABLE, 'The callback could not be stored or processed now; retry later');
    }
  }
}

function tokenOf(header: string | undefined): string | null {
  return typeof header === 'string' && header.length > 0 ? header.slice(0, 128) : null;
}

/**
 * The safe voicemail TwiML puts the dialled number and the caller in its recording callback's URL
 * (signed by Twilio with the rest of it): the voicemail's owner when the call record is missing.
 */
function dialledOf(query: unknown): Record<string, string> {
  const to = formParam(query, 'to', 128);
  const from = formParam(query, 'from', 128);
  const dialled: Record<string, string> = {};
  if (to !== undefined && (isE164(to) || (to.startsWith('client:') && isIdentity(to.slice('client:'.length))))) dialled['to'] = to;
  if (from !== undefined && from.length > 0) dialled['from'] = storableText(from);
  return dialled;
}
