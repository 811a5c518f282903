import { Body, Controller, Header, HttpCode, Logger, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { TwilioWebhook, TwimlPlan, TwimlRenderer } from '@switchboard/api-data-access-telephony';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { CallPlanner, SPOKEN } from './call-planner';

/**
 * TwiML webhooks. Every answer is 200 text/xml: a bad parameter or an internal failure still gets
 * valid TwiML with a spoken reason, because any other answer makes Twilio play "an application error".
 */
@ApiExcludeController()
@Controller()
@TwilioWebhook()
export class VoiceWebhooksController {
  private readonly logger = new Logger('VoiceWebhooksController');

  constructor(private readonly planner: CallPlanner, private readonly twiml: TwimlRenderer) {}

  @Post(WEBHOOK_ROUTES.outgoing)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  outgoing(@Body() body: unknown): Promise<string> {
    return this.answer(() => this.planner.planOutgoing(body));
  }

  @Post(WEBHOOK_ROUTES.incoming)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  incoming(@Body() body: unknown): Promise<string> {
    return this.answer(() => this.planner.planIncoming(body));
  }

  @Post(WEBHOOK_ROUTES.dialComplete)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  dialComplete(@Body() body: unknown): Promise<string> {
    return this.answer(() => this.planner.planDialComplete(body));
  }

  @Post(WEBHOOK_ROUTES.voicemailComplete)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  voicemailComplete(): Promise<string> {
    return this.answer(async () => this.planner.planVoicemailComplete());
  }

  @Post(WEBHOOK_ROUTES.ringAgentAnswered)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  ringAgentAnswered(@Query() query: unknown): Promise<string> {
    return this.answer(() => this.planner.planRingAgentAnswered(query));
  }

  private async answer(plan: () => Promise<TwimlPlan>): Promise<string> {
    try {
      return this.twiml.render(await plan());
    } catch (error) {
      this.logger.error(`TwiML webhook failed: ${(error as Error).message}`);
      return this.twiml.render({ kind: 'say-and-hang-up', message: SPOKEN.error });
    }
  }
}
