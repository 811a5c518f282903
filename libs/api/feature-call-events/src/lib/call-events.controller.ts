import { Body, Controller, HttpCode, Logger, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CallsRepository, VoicemailsRepository } from '@switchboard/api-data-access-db';
import { RecordingFetcher, TwilioWebhook } from '@switchboard/api-data-access-telephony';
import { badField } from '@switchboard/api-http-boundary';
import { formParam, SID_PATTERNS, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { eventTime, optionalDigits, rawPayload, requireCallSid, requireMatch } from './callback-params';

/**
 * Status and recording callbacks. Delivery is at-least-once in any order: events are stored once
 * (unique keys) and the call record only moves forward, so replays and shuffles change nothing.
 * Answers 204 (Twilio accepts an empty 204); malformed parameters get 400 naming the field, no write.
 */
@ApiExcludeController()
@Controller()
@TwilioWebhook()
export class CallEventsController {
  private readonly logger = new Logger('CallEventsController');

  constructor(
    private readonly calls: CallsRepository,
    private readonly voicemails: VoicemailsRepository,
    private readonly recordings: RecordingFetcher,
  ) {}

  @Post(WEBHOOK_ROUTES.status)
  @HttpCode(204)
  async status(@Body() body: unknown): Promise<void> {
    const callSid = requireCallSid(body);
    const callStatus = requireMatch(body, 'CallStatus', /^[a-z][a-z-]{0,31}$/, 'a call status such as ringing or completed');
    const sequence = optionalDigits(body, 'SequenceNumber');
    const duration = optionalDigits(body, 'CallDuration');
    const direction = formParam(body, 'Direction') === 'inbound' ? 'inbound' : 'outbound';
    const outcome = await this.calls.applyStatusEvent({
      callSid,
      callStatus,
      sequenceNumber: sequence === null ? '' : String(sequence),
      payload: rawPayload(body),
      from: formParam(body, 'From', 128) ?? null,
      to: formParam(body, 'To', 128) ?? null,
      direction,
      durationSeconds: duration,
      at: eventTime(body),
    });
    if (outcome === 'duplicate') this.logger.log(`Duplicate status ${callStatus} for ${callSid} ignored`);
  }

  @Post(WEBHOOK_ROUTES.recordingStatus)
  @HttpCode(204)
  async recordingStatus(@Body() body: unknown): Promise<void> {
    const callSid = requireCallSid(body);
    const recordingSid = requireMatch(body, 'RecordingSid', SID_PATTERNS.recording, 'a recording SID (RE + 32 hex digits)');
    const status = requireMatch(body, 'RecordingStatus', /^[a-z-]{1,32}$/, 'a recording status such as completed');
    const duration = optionalDigits(body, 'RecordingDuration') ?? 0;
    const recordingUrl = formParam(body, 'RecordingUrl', 1024);
    // The URL is fetched server-side later with our credentials: only the REST origin is acceptable.
    if (recordingUrl === undefined || !this.recordings.isTrustedUrl(recordingUrl)) {
      throw badField('RecordingUrl', 'RecordingUrl must be a recording URL on the configured REST API origin');
    }
    if (status !== 'completed' || duration === 0) {
      this.logger.log(`Recording ${recordingSid} is ${status} (${duration} s): no voicemail`);
      return;
    }
    const call = await this.calls.findBySid(callSid);
    if (!call?.voicemailTarget) {
      this.logger.warn(`Recording ${recordingSid} belongs to unknown or unrouted call ${callSid}: not stored`);
      return;
    }
    const isNew = await this.voicemails.insertOnce({
      recordingSid, callSid, recordingUrl, from: call.from, calledTarget: call.voicemailTarget, durationSeconds: duration,
    });
    if (!isNew) this.logger.log(`Duplicate recording callback for ${recordingSid} ignored`);
  }
}

