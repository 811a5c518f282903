import { Body, Controller, HttpCode, HttpStatus, Logger, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { TwilioWebhook } from '@switchboard/api-data-access-telephony';
import { FieldException } from '@switchboard/api-http-boundary';
import { formParam, SID_PATTERNS } from '@switchboard/shared-contracts';
import { ColdTransfers, TRANSFER_STATUS_ROUTE } from './cold-transfers.service';
import { isKnownLegStatus } from './transfer-decisions';

const TRANSFER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The call status callback of every leg a transfer dials (`?transfer=<id>`), signed like every webhook.
 * Answers 204, also to a signed callback with bad values (logged, not applied: another answer would only
 * make Twilio retry it); 503 when the record cannot be updated now, so Twilio retries.
 */
@ApiExcludeController()
@Controller()
@TwilioWebhook()
export class TransferStatusController {
  private readonly logger = new Logger('TransferStatusController');

  constructor(private readonly transfers: ColdTransfers) {}

  @Post(TRANSFER_STATUS_ROUTE)
  @HttpCode(204)
  async transferStatus(@Query('transfer') transferId: unknown, @Body() body: unknown): Promise<void> {
    const callSid = formParam(body, 'CallSid');
    const status = formParam(body, 'CallStatus', 32);
    if (typeof transferId !== 'string' || !TRANSFER_ID.test(transferId) || !callSid || !SID_PATTERNS.call.test(callSid) || !status || !isKnownLegStatus(status)) {
      this.logger.warn('Transfer status callback ignored: missing or malformed transfer, CallSid or CallStatus');
      return;
    }
    try {
      await this.transfers.onLegStatus(transferId, callSid, status);
    } catch (error) {
      this.logger.error(`Transfer status ${status} of ${callSid} not applied: ${(error as Error).message}`);
      throw new FieldException(HttpStatus.SERVICE_UNAVAILABLE, 'The callback could not be applied now; retry later');
    }
  }
}
