import { Controller, Header, HttpCode, Inject, Logger, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { QueueRepository } from '@switchboard/api-data-access-db';
import { TwilioWebhook } from '@switchboard/api-data-access-telephony';
import { SID_PATTERNS, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { QUEUE_WAIT_CALL_PARAM } from './queued-customer-plan';
import { NOT_YET_QUEUED_TWIML, queueWaitTwiml } from './queue-wait';

/**
 * The `waitUrl` of a queued caller's conference (fetched with POST, signed like every webhook; the call
 * is in the query the API signed into the URL). Always 200 TwiML: a failure to read the position still
 * plays the music, never Twilio's "application error".
 */
@ApiExcludeController()
@Controller()
@TwilioWebhook()
export class QueueWaitController {
  private readonly logger = new Logger('QueueWaitController');

  constructor(private readonly queue: QueueRepository, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Post(WEBHOOK_ROUTES.queueWait)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async queueWait(@Query() query: Record<string, unknown>): Promise<string> {
    const callSid = query[QUEUE_WAIT_CALL_PARAM];
    if (typeof callSid !== 'string' || !SID_PATTERNS.call.test(callSid)) return queueWaitTwiml(null, this.config);
    try {
      if (!(await this.queue.find(callSid))) return NOT_YET_QUEUED_TWIML;
      return queueWaitTwiml(await this.queue.position(callSid), this.config);
    } catch (error) {
      this.logger.error(`Could not read the queue position of ${callSid}: ${(error as Error).message}`);
      return queueWaitTwiml(null, this.config);
    }
  }
}
