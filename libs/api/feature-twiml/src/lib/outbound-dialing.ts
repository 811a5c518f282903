import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { CallsRepository, OutboundCallCaps } from '@switchboard/api-data-access-db';
import {
  CallProgressEvents, ConferenceCommandError, ConferenceCommands, type CallProgressNotice,
} from '@switchboard/api-data-access-telephony';
import { LiveEventPublisher } from '@switchboard/api-data-access-live-events';
import { CALL_CONTROL_EVENTS, WEBHOOK_ROUTES, type FarEndStatus } from '@switchboard/shared-contracts';
import { anchorConferenceName, ANCHOR_CONFERENCE_EVENTS, CUSTOMER_LABEL } from './conference-anchor';
import { missedOutcomeOf, outboundMissedQuery, type MissedOutcome, type OutboundDialRequest } from './outbound-anchor';
import { RECHECK_AFTER_TIMEOUT_MS } from './agent-ringing';

/** The agent's (or the number's) call is over. */
const CALL_OVER = new Set(['completed', 'no-answer', 'busy', 'failed', 'canceled']);
/** How long after the dial timeout a finished dial is forgotten (late callbacks then change nothing). */
const FORGET_AFTER_TIMEOUT_MS = 120_000;

interface Dialling {
  readonly request: OutboundDialRequest;
  /** The number's leg, once addParticipant returned it. */
  customerCallSid: string | null;
  /** dialling → answered (the number answered) | missed (the agent was told) | ended (the agent left). Never goes back. */
  phase: 'dialling' | 'answered' | 'missed' | 'ended';
  forget?: NodeJS.Timeout;
  recheck?: NodeJS.Timeout;
}

/**
 * Dials the number of an agent's anchored phone call (outbound-anchor.ts) into the agent's conference over
 * REST, then settles it from the callbacks, whatever order they arrive in:
 * - the number's leg ends unanswered (no-answer, busy, failed, or it could not be placed): the agent's
 *   call is redirected to dial-complete, which records the outcome on it and says why, once;
 * - the agent's call ends first: the number's leg is cancelled if it is still ringing (never cut off once
 *   answered: then LoneCustomerEnding ends the conference), and the cap grant ends.
 * In this instance's memory like AgentRinging; the number's call record is read back once the dial
 * timeout has passed, for callbacks another instance processed.
 * The agent's softphone is told where the number is (`call.far-end`): ringing as the dial starts, answered,
 * or the miss before the redirect, since their own leg was answered at once by the conference.
 */
@Injectable()
export class OutboundDialing implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('OutboundDialing');
  private readonly byAgentCall = new Map<string, Dialling>();
  private readonly byCustomer = new Map<string, Dialling>();
  private stopListening: () => void = () => undefined;

  constructor(
    private readonly commands: ConferenceCommands,
    private readonly progress: CallProgressEvents,
    private readonly calls: CallsRepository,
    private readonly caps: OutboundCallCaps,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly publisher?: LiveEventPublisher,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.progress.listen((notice) => this.onNotice(notice));
  }

  onModuleDestroy(): void {
    this.stopListening();
    for (const dialling of this.byAgentCall.values()) {
      clearTimeout(dialling.forget);
      clearTimeout(dialling.recheck);
    }
    this.byAgentCall.clear();
    this.byCustomer.clear();
  }

  /** Dials the number into the agent's conference; a second request for the same agent call dials nothing. */
  async start(request: OutboundDialRequest): Promise<void> {
    if (this.byAgentCall.has(request.agentCallSid)) return;
    const dialling: Dialling = { request, customerCallSid: null, phase: 'dialling' };
    this.byAgentCall.set(request.agentCallSid, dialling);
    const timeoutMs = request.timeoutSeconds * 1000;
    dialling.forget = setTimeout(() => this.forget(dialling), timeoutMs + FORGET_AFTER_TIMEOUT_MS);
    dialling.forget.unref();
    dialling.recheck = setTimeout(() => void this.recheck(dialling), timeoutMs + RECHECK_AFTER_TIMEOUT_MS);
    dialling.recheck.unref();
    // Told before the number is placed: this runs as the agent's TwiML is answered, so the softphone hears it
    // before its SDK call opens and never shows a number that has not answered as connected.
    await this.tell(dialling, 'ringing');
    try {
      const placed = await this.commands.addParticipant({
        conference: { friendlyName: anchorConferenceName(request.agentCallSid) },
        to: request.number,
        from: this.config.twilio.callerId,
        label: CUSTOMER_LABEL,
        timeoutSeconds: request.timeoutSeconds,
        startConferenceOnEnter: true,
        // The number hanging up ends the call for everyone, as an inbound customer's leaving does.
        endConferenceOnExit: true,
        beep: false,
        // The agent hears the number ring (and any operator message) rather than silence.
        earlyMedia: true,
        // Twilio ends the number's call after this, so the cap holds after a transfer or rescue too.
        timeLimitSeconds: this.config.outboundLimits.callTimeLimitSeconds,
        callStatusCallback: { path: WEBHOOK_ROUTES.status },
        conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus },
        conferenceEvents: ANCHOR_CONFERENCE_EVENTS,
      });
      dialling.customerCallSid = placed.callSid;
      this.byCustomer.set(placed.callSid, dialling);
    } catch (error) {
      const failure = error instanceof ConferenceCommandError ? error.failure : 'unexpected';
      this.logger.warn(`Could not dial ${request.agentCallSid}'s number (${failure}): ${(error as Error).message}`);
      return this.missed(dialling, 'failed');
    }
    // Its status callbacks may have been processed before the SID was known here: the record has them.
    await this.readBack(dialling);
    if (dialling.phase === 'ended') this.cancel(dialling);
  }

  /** What is known of an agent call's dial (tests and logs). */
  phaseOf(agentCallSid: string): Dialling['phase'] | undefined {
    return this.byAgentCall.get(agentCallSid)?.phase;
  }

  private onNotice(notice: CallProgressNotice): void {
    if (notice.kind !== 'call-status') return;
    const asAgent = this.byAgentCall.get(notice.callSid);
    if (asAgent && CALL_OVER.has(notice.callStatus)) return this.agentLeft(asAgent);
    const dialling = this.byCustomer.get(notice.callSid);
    if (dialling) void this.customerStatus(dialling, notice.callStatus);
  }

  private async customerStatus(dialling: Dialling, status: string): Promise<void> {
    if (dialling.phase !== 'dialling') return;
    if (status === 'in-progress' || status === 'completed') {
      dialling.phase = 'answered';
      return this.tell(dialling, 'answered');
    }
    const outcome = missedOutcomeOf(status);
    if (outcome) await this.missed(dialling, outcome);
  }

  /** The number will not answer: the agent's call hears why and ends (dial-complete records the outcome), once. */
  private async missed(dialling: Dialling, outcome: MissedOutcome): Promise<void> {
    if (dialling.phase !== 'dialling') return;
    dialling.phase = 'missed';
    const agentCallSid = dialling.request.agentCallSid;
    this.logger.log(`${agentCallSid}'s number ended ${outcome}: the agent is told`);
    // First, so the softphone knows why before its call ends.
    await this.tell(dialling, outcome);
    try {
      await this.commands.redirectCall(agentCallSid, { path: WEBHOOK_ROUTES.dialComplete, query: outboundMissedQuery(outcome) });
    } catch (error) {
      // call-gone / not-connected: the agent hung up meanwhile; their call's own end releases the cap.
      const failure = error instanceof ConferenceCommandError ? error.failure : 'unexpected';
      if (failure !== 'call-gone' && failure !== 'not-connected') this.logger.error(`Could not redirect ${agentCallSid}: ${(error as Error).message}`);
    }
  }

  /** A failed publish is logged: the softphone then shows the call as it did before the event existed. */
  private async tell(dialling: Dialling, state: FarEndStatus): Promise<void> {
    if (!this.publisher) return;
    const { agentCallSid, identity } = dialling.request;
    try {
      await this.publisher.publish(CALL_CONTROL_EVENTS.farEnd, { callSid: agentCallSid, state }, { agents: [identity] });
    } catch (error) {
      this.logger.warn(`call.far-end ${state} of ${agentCallSid} not published: ${(error as Error).message}`);
    }
  }

  private agentLeft(dialling: Dialling): void {
    const wasDialling = dialling.phase === 'dialling';
    if (dialling.phase !== 'ended') dialling.phase = 'ended';
    // The `<Dial>` action ends the grant too; this covers a hang-up whose action request was lost.
    this.caps.end(dialling.request.agentCallSid, new Date()).catch((error: unknown) => {
      this.logger.warn(`Could not end the cap grant of ${dialling.request.agentCallSid}: ${(error as Error).message}`);
    });
    if (wasDialling) this.cancel(dialling);
  }

  /** Stops the number's leg while it rings; one that answered meanwhile is left alone by the provider. */
  private cancel(dialling: Dialling): void {
    const callSid = dialling.customerCallSid;
    if (callSid === null) return;
    this.commands.endCall(callSid, 'cancel-if-not-answered').catch((error: unknown) => {
      const failure = error instanceof ConferenceCommandError ? error.failure : 'unexpected';
      if (failure !== 'call-gone' && failure !== 'not-connected') this.logger.warn(`Could not cancel ${callSid}: ${(error as Error).message}`);
    });
  }

  private async readBack(dialling: Dialling): Promise<void> {
    if (dialling.customerCallSid === null) return;
    const known = (await this.calls.findBySid(dialling.customerCallSid).catch(() => undefined))?.status;
    if (known) await this.customerStatus(dialling, known);
  }

  private async recheck(dialling: Dialling): Promise<void> {
    if (dialling.phase === 'dialling') await this.readBack(dialling);
  }

  private forget(dialling: Dialling): void {
    clearTimeout(dialling.recheck);
    this.byAgentCall.delete(dialling.request.agentCallSid);
    if (dialling.customerCallSid) this.byCustomer.delete(dialling.customerCallSid);
  }
}
