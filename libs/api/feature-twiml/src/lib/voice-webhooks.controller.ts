import { Body, Controller, Header, HttpCode, Inject, Logger, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { TwilioWebhook, TwimlPlan, TwimlRenderer } from '@switchboard/api-data-access-telephony';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { CallPlanner } from './call-planner';
import { safePlan, type TwimlRoute } from './safe-twiml';
import { withinDeadline } from './twiml-deadline';

/**
 * TwiML webhooks. Every answer is 200 text/xml: a bad parameter or an internal failure still gets
 * valid TwiML with a spoken reason, because any other answer makes Twilio play "an application error".
 * Each answers within TWIML_DEADLINE_MS (Twilio waits 15 s at most): past it, or on a failure, the
 * route's safe TwiML (safe-twiml.ts) is answered instead.
 */
@ApiExcludeController()
@Controller()
@TwilioWebhook()
export class VoiceWebhooksController {
  private readonly logger = new Logger('VoiceWebhooksController');

  constructor(
    private readonly planner: CallPlanner,
    private readonly twiml: TwimlRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post(WEBHOOK_ROUTES.outgoing)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  outgoing(@Body() body: unknown): Promise<string> {
    return this.answer('outgoing', body, () => this.planner.planOutgoing(body));
  }

  @Post(WEBHOOK_ROUTES.incoming)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  incoming(@Body() body: unknown): Promise<string> {
    return this.answer('incoming', body, () => this.planner.planIncoming(body));
  }

  @Post(WEBHOOK_ROUTES.dialComplete)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  dialComplete(@Body() body: unknown): Promise<string> {
    return this.answer('dial-complete', body, () => this.planner.planDialComplete(body));
  }

  @Post(WEBHOOK_ROUTES.voicemailComplete)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  voicemailComplete(): Promise<string> {
    return this.answer('voicemail-complete', {}, async () => this.planner.planVoicemailComplete());
  }

  @Post(WEBHOOK_ROUTES.ringAgentAnswered)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  ringAgentAnswered(@Query() query: unknown): Promise<string> {
    return this.answer('ring-agent-answered', query, () => this.planner.planRingAgentAnswered(query));
  }

  private async answer(route: TwimlRoute, input: unknown, plan: () => Promise<TwimlPlan>): Promise<string> {
    const deadlineMs = this.config.resilience.twimlDeadlineMs;
    try {
      const outcome = await withinDeadline(plan, deadlineMs, (error) => {
        this.logger.error(`TwiML webhook ${route} failed after its deadline: ${(error as Error).message}`);
      });
      if (outcome.onTime) return this.twiml.render(outcome.value);
      this.logger.error(`TwiML webhook ${route} missed its ${deadlineMs} ms deadline (is the database slow?): answered safe TwiML`);
    } catch (error) {
      this.logger.error(`TwiML webhook ${route} failed: ${(error as Error).message}; answered safe TwiML`);
    }
    return this.twiml.render(safePlan(route, input, this.config));
  }
}
