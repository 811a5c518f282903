import { Body, Controller, Header, HttpCode, Inject, Logger, type OnModuleDestroy, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { TwilioWebhook, TwimlPlan, TwimlRenderer } from '@switchboard/api-data-access-telephony';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { AfterAnswerWork } from './after-answer-work';
import { AgentRinging, type AgentRingRequest } from './agent-ringing';
import { CallPlanner } from './call-planner';
import type { OutboundDialRequest } from './outbound-anchor';
import { OutboundDialing } from './outbound-dialing';
import { CallQueue, type QueueRequest } from './queue/call-queue';
import { safePlan, type TwimlRoute } from './safe-twiml';
import { withinDeadline } from './twiml-deadline';

/** How long shutdown waits for after-answer work (a REST request's own deadline is 15 s). */
const AFTER_ANSWER_DRAIN_MS = 5_000;

/**
 * TwiML webhooks. Every answer is 200 text/xml: a bad parameter or an internal failure still gets
 * valid TwiML with a spoken reason, because any other answer makes Twilio play "an application error".
 * Each answers within TWIML_DEADLINE_MS (Twilio waits 15 s at most): past it, or on a failure, the
 * route's safe TwiML (safe-twiml.ts) is answered instead.
 */
@ApiExcludeController()
@Controller()
@TwilioWebhook()
export class VoiceWebhooksController implements OnModuleDestroy {
  private readonly logger = new Logger('VoiceWebhooksController');
  private readonly afterAnswer = new AfterAnswerWork(this.logger);

  constructor(
    private readonly planner: CallPlanner,
    private readonly twiml: TwimlRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ringing: AgentRinging,
    private readonly dialing: OutboundDialing,
    private readonly queue: CallQueue,
  ) {}

  /** Shutdown (app.close, SIGTERM) waits for rings, dials and queueing already under way; Twilio's REST timeout bounds each. */
  async onModuleDestroy(): Promise<void> {
    await this.afterAnswer.drain(AFTER_ANSWER_DRAIN_MS);
  }

  @Post(WEBHOOK_ROUTES.outgoing)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async outgoing(@Body() body: unknown): Promise<string> {
    const decided: { dial: OutboundDialRequest | null } = { dial: null };
    const answered = await this.decide('outgoing', body, async () => {
      const call = await this.planner.planAgentCall(body);
      decided.dial = call.dial;
      return call.plan;
    });
    // As for incoming: the number is dialled into the agent's conference only when that TwiML is the answer.
    const request = decided.dial;
    if (answered.planned && request) {
      this.afterAnswer.start(`Dialling for ${request.agentCallSid}`, () => this.dialing.start(request));
    }
    return answered.xml;
  }

  @Post(WEBHOOK_ROUTES.incoming)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async incoming(@Body() body: unknown): Promise<string> {
    const decided: { ring: AgentRingRequest | null; queue: QueueRequest | null } = { ring: null, queue: null };
    const answered = await this.decide('incoming', body, async () => {
      const inbound = await this.planner.planInbound(body);
      decided.ring = inbound.ring;
      decided.queue = inbound.queue;
      return inbound.plan;
    });
    // Agents are rung into the customer's conference (or the customer queued) only when that TwiML is the
    // answer (not the safe voicemail of a missed deadline), and only after it was decided: the call row is
    // committed by then.
    const { ring, queue } = decided;
    if (answered.planned && ring) {
      this.afterAnswer.start(`Ringing for ${ring.customerCallSid}`, () => this.ringing.start(ring));
    }
    if (answered.planned && queue) {
      this.afterAnswer.start(`Queueing ${queue.customerCallSid}`, () => this.queue.enqueue(queue));
    }
    return answered.xml;
  }

  @Post(WEBHOOK_ROUTES.dialComplete)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  dialComplete(@Body() body: unknown, @Query() query: unknown): Promise<string> {
    return this.answer('dial-complete', body, () => this.planner.planDialComplete(body, query), query);
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

  private async answer(route: TwimlRoute, input: unknown, plan: () => Promise<TwimlPlan>, query: unknown = {}): Promise<string> {
    return (await this.decide(route, input, plan, query)).xml;
  }

  /** The TwiML to answer, and whether it is the planner's own (`planned`) rather than the safe TwiML. */
  private async decide(route: TwimlRoute, input: unknown, plan: () => Promise<TwimlPlan>, query: unknown = {}): Promise<{ xml: string; planned: boolean }> {
    const deadlineMs = this.config.resilience.twimlDeadlineMs;
    try {
      const outcome = await withinDeadline(plan, deadlineMs, (error) => {
        this.logger.error(`TwiML webhook ${route} failed after its deadline: ${(error as Error).message}`);
      });
      if (outcome.onTime) return { xml: this.twiml.render(outcome.value), planned: true };
      this.logger.error(`TwiML webhook ${route} missed its ${deadlineMs} ms deadline (is the database slow?): answered safe TwiML`);
    } catch (error) {
      this.logger.error(`TwiML webhook ${route} failed: ${(error as Error).message}; answered safe TwiML`);
    }
    return { xml: this.twiml.render(safePlan(route, input, this.config, query)), planned: false };
  }
}
