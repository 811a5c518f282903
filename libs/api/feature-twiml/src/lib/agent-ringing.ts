import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { CallsRepository } from '@switchboard/api-data-access-db';
import {
  CallProgressEvents, ConferenceCommandError, ConferenceCommands, type CallProgressNotice,
} from '@switchboard/api-data-access-telephony';
import { clientIdentity, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { isE164 } from '@switchboard/shared-util-phone';
import {
  agentLabel, anchorConferenceName, anchoredCallOf, ANCHOR_CONFERENCE_EVENTS, ANCHOR_UNANSWERED_QUERY, CUSTOMER_LABEL,
} from './conference-anchor';

/** Who to ring for a customer anchored in a conference, as the incoming webhook decided it. */
export interface AgentRingRequest {
  readonly customerCallSid: string;
  /** The customer's number, shown on the agents' phones (the account's caller ID when it is not a number). */
  readonly customerNumber: string;
  readonly identities: readonly string[];
  readonly timeoutSeconds: number;
  /**
   * Called instead of redirecting the customer to voicemail once nobody answered (the queue re-queues the
   * caller); absent: voicemail. Called at most once per ringing.
   */
  readonly onUnanswered?: () => Promise<void>;
}

/** A leg that will never be answered: the provider's final statuses of an unanswered call. */
const UNANSWERED = new Set(['no-answer', 'busy', 'failed', 'canceled']);
/** The customer's own call is over. */
const CALL_OVER = new Set(['completed', 'no-answer', 'busy', 'failed', 'canceled']);
/** How long after the ring timeout a finished ringing is forgotten (late callbacks then change nothing). */
const FORGET_AFTER_TIMEOUT_MS = 120_000;
/**
 * How long after the ring timeout the legs' call records are read back, for callbacks this instance never
 * heard (processed by another instance, or announced while this one was busy): the provider has ended
 * every unanswered leg by then.
 */
export const RECHECK_AFTER_TIMEOUT_MS = 15_000;

interface Leg {
  readonly identity: string;
  callSid: string | null;
  /** starting: addParticipant not settled; ringing; answered (in-progress, joined or completed); unanswered. */
  state: 'starting' | 'ringing' | 'answered' | 'unanswered';
}

interface Ringing {
  readonly request: AgentRingRequest;
  readonly legs: Leg[];
  /** ringing → answered (an agent joined) | voicemail (nobody will) | ended (the customer left). Never goes back. */
  phase: 'ringing' | 'answered' | 'voicemail' | 'ended';
  forget?: NodeJS.Timeout;
  recheck?: NodeJS.Timeout;
}

/**
 * Rings the agents of a customer anchored in a conference (CUSTOMER_CALL_ANCHOR=conference), over REST,
 * and settles the ringing from the callbacks, whatever order they arrive in:
 * - an agent's `participant-join` (label `client:<identity>`) means they are with the customer: every leg
 *   still ringing is cancelled with `cancel-if-not-answered`, which never cuts off a leg that answered;
 * - once every leg ended unanswered (or could not be placed), the customer is redirected to voicemail;
 * - the customer leaving (their call's final status, their `participant-leave`, or `conference-end`)
 *   cancels the legs still ringing.
 * Decisions depend on the set of facts heard, not their order, and each is taken once (the phase only
 * moves forward); a duplicate callback is not even announced. The ringing lives in this instance's
 * memory; callbacks another instance processed are read back from the legs' call records once the ring
 * timeout has passed (RECHECK_AFTER_TIMEOUT_MS), so a lost announcement delays voicemail, never loses it.
 */
@Injectable()
export class AgentRinging implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AgentRinging');
  private readonly byCustomer = new Map<string, Ringing>();
  private readonly byLeg = new Map<string, Ringing>();
  private stopListening: () => void = () => undefined;

  constructor(
    private readonly commands: ConferenceCommands,
    private readonly progress: CallProgressEvents,
    private readonly calls: CallsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.progress.listen((notice) => this.onNotice(notice));
  }

  onModuleDestroy(): void {
    this.stopListening();
    for (const ringing of this.byCustomer.values()) {
      clearTimeout(ringing.forget);
      clearTimeout(ringing.recheck);
    }
    this.byCustomer.clear();
    this.byLeg.clear();
  }

  /** Rings every agent at once; settles once each was dialled or refused. A second request for the same customer rings nobody. */
  async start(request: AgentRingRequest): Promise<void> {
    if (this.byCustomer.has(request.customerCallSid)) return;
    const ringing: Ringing = { request, legs: request.identities.map((identity) => ({ identity, callSid: null, state: 'starting' })), phase: 'ringing' };
    this.byCustomer.set(request.customerCallSid, ringing);
    ringing.forget = setTimeout(() => this.forget(ringing), request.timeoutSeconds * 1000 + FORGET_AFTER_TIMEOUT_MS);
    ringing.forget.unref();
    ringing.recheck = setTimeout(() => void this.recheck(ringing), request.timeoutSeconds * 1000 + RECHECK_AFTER_TIMEOUT_MS);
    ringing.recheck.unref();
    await Promise.all(ringing.legs.map((leg) => this.ring(ringing, leg)));
    await this.settle(ringing);
  }

  /** What is known of a customer's ringing (tests and logs). */
  phaseOf(customerCallSid: string): Ringing['phase'] | undefined {
    return this.byCustomer.get(customerCallSid)?.phase;
  }

  private async ring(ringing: Ringing, leg: Leg): Promise<void> {
    const { request } = ringing;
    try {
      const placed = await this.commands.addParticipant({
        conference: { friendlyName: anchorConferenceName(request.customerCallSid) },
        to: agentLabel(leg.identity),
        from: isE164(request.customerNumber) ? request.customerNumber : this.config.twilio.callerId,
        label: agentLabel(leg.identity),
        timeoutSeconds: request.timeoutSeconds,
        startConferenceOnEnter: true,
        endConferenceOnExit: false,
        beep: false,
        callStatusCallback: { path: WEBHOOK_ROUTES.status },
        conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus },
        conferenceEvents: ANCHOR_CONFERENCE_EVENTS,
      });
      leg.callSid = placed.callSid;
      this.byLeg.set(placed.callSid, ringing);
      if (leg.state === 'starting') leg.state = 'ringing';
    } catch (error) {
      const failure = error instanceof ConferenceCommandError ? error.failure : 'unexpected';
      this.logger.warn(`Could not ring ${leg.identity} for ${request.customerCallSid} (${failure}): ${(error as Error).message}`);
      if (leg.state === 'starting') leg.state = 'unanswered';
      return;
    }
    // Its status callbacks may have been processed before the SID was known here: the record has them.
    const known = (await this.calls.findBySid(leg.callSid).catch(() => undefined))?.status;
    if (known) this.legStatus(ringing, leg, known);
    if (ringing.phase !== 'ringing') this.cancel(leg);
  }

  private onNotice(notice: CallProgressNotice): void {
    if (notice.kind === 'call-status') {
      const asCustomer = this.byCustomer.get(notice.callSid);
      if (asCustomer && CALL_OVER.has(notice.callStatus)) return this.customerLeft(asCustomer);
      const ringing = this.byLeg.get(notice.callSid);
      const leg = ringing?.legs.find((candidate) => candidate.callSid === notice.callSid);
      if (ringing && leg) {
        this.legStatus(ringing, leg, notice.callStatus);
        void this.settle(ringing);
      }
      return;
    }
    const customerCallSid = anchoredCallOf(notice.friendlyName);
    const ringing = customerCallSid ? this.byCustomer.get(customerCallSid) : undefined;
    if (!ringing) return;
    if (notice.event === 'conference-end' || (notice.event === 'participant-leave' && notice.label === CUSTOMER_LABEL)) {
      return this.customerLeft(ringing);
    }
    if (notice.event !== 'participant-join') return;
    const identity = clientIdentity(notice.label ?? undefined);
    // By label: the join may be heard before addParticipant returned the leg's SID.
    const leg = identity ? ringing.legs.find((candidate) => candidate.identity === identity) : undefined;
    if (!leg) return;
    leg.state = 'answered';
    leg.callSid ??= notice.callSid;
    if (ringing.phase !== 'ringing') return;
    ringing.phase = 'answered';
    this.logger.log(`${leg.identity} answered ${ringing.request.customerCallSid}: the other agents stop ringing`);
    for (const other of ringing.legs) if (other !== leg) this.cancel(other);
  }

  private legStatus(ringing: Ringing, leg: Leg, status: string): void {
    if (UNANSWERED.has(status)) {
      if (leg.state !== 'answered') leg.state = 'unanswered';
    } else if (status === 'in-progress' || status === 'completed') {
      // Answered (completed is only reached through an answer): never counted as unanswered, whatever comes later.
      leg.state = 'answered';
    }
  }

  /** Nobody will answer: the customer goes to the routed target's voicemail, once. */
  private async settle(ringing: Ringing): Promise<void> {
    if (ringing.phase !== 'ringing' || !ringing.legs.every((leg) => leg.state === 'unanswered')) return;
    ringing.phase = 'voicemail';
    const customer = ringing.request.customerCallSid;
    const { onUnanswered } = ringing.request;
    if (onUnanswered) {
      this.logger.log(`No agent answered ${customer}: handed back to its queue`);
      await onUnanswered().catch((error: unknown) => this.logger.error(`Handing ${customer} back failed: ${(error as Error).message}`));
      return;
    }
    this.logger.log(`No agent answered ${customer}: redirected to voicemail`);
    try {
      await this.commands.redirectCall(customer, { path: WEBHOOK_ROUTES.dialComplete, query: ANCHOR_UNANSWERED_QUERY });
    } catch (error) {
      this.logger.error(`Could not redirect ${customer} to voicemail: ${(error as Error).message}`);
    }
  }

  /** Reads the legs still ringing back from their call records (shared by every instance), then settles. */
  private async recheck(ringing: Ringing): Promise<void> {
    if (ringing.phase !== 'ringing') return;
    for (const leg of ringing.legs) {
      if (leg.callSid === null || leg.state !== 'ringing') continue;
      const known = (await this.calls.findBySid(leg.callSid).catch(() => undefined))?.status;
      if (known) this.legStatus(ringing, leg, known);
    }
    await this.settle(ringing);
  }

  private customerLeft(ringing: Ringing): void {
    if (ringing.phase === 'ended') return;
    const wasRinging = ringing.phase === 'ringing';
    ringing.phase = 'ended';
    if (wasRinging) this.logger.log(`${ringing.request.customerCallSid} left before an agent answered: ringing cancelled`);
    for (const leg of ringing.legs) this.cancel(leg);
  }

  /** Stops a leg that has not answered; a leg that answered meanwhile is left alone by the provider. */
  private cancel(leg: Leg): void {
    if (leg.callSid === null || leg.state !== 'ringing') return;
    const callSid = leg.callSid;
    this.commands.endCall(callSid, 'cancel-if-not-answered').catch((error: unknown) => {
      // call-gone / not-connected: it ended on its own meanwhile, which is what was wanted.
      const failure = error instanceof ConferenceCommandError ? error.failure : 'unexpected';
      if (failure !== 'call-gone' && failure !== 'not-connected') this.logger.warn(`Could not cancel ${callSid}: ${(error as Error).message}`);
    });
  }

  private forget(ringing: Ringing): void {
    clearTimeout(ringing.recheck);
    this.byCustomer.delete(ringing.request.customerCallSid);
    for (const leg of ringing.legs) if (leg.callSid) this.byLeg.delete(leg.callSid);
  }
}
