import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { CallsRepository, RingOutcomesRepository, type RingOutcomeEntry } from '@switchboard/api-data-access-db';
import {
  CallProgressEvents, ConferenceCommandError, ConferenceCommands, type CallProgressNotice,
} from '@switchboard/api-data-access-telephony';
import { clientIdentity, WEBHOOK_ROUTES, type RingOutcome, type RingStrategy } from '@switchboard/shared-contracts';
import { isE164 } from '@switchboard/shared-util-phone';
import {
  agentLabel, anchorConferenceName, anchoredCallOf, ANCHOR_CONFERENCE_EVENTS, ANCHOR_UNANSWERED_QUERY, CUSTOMER_LABEL,
} from './conference-anchor';

/** Who to ring for a customer anchored in a conference, as the incoming webhook decided it. */
export interface AgentRingRequest {
  readonly customerCallSid: string;
  /** The customer's number, shown on the agents' phones (the account's caller ID when it is not a number). */
  readonly customerNumber: string;
  /** In the order to ring them (longest-idle rings them one at a time in this order). */
  readonly identities: readonly string[];
  /** How long each leg rings. */
  readonly timeoutSeconds: number;
  /** ring-all (absent): every agent at once; longest-idle: one at a time, the next once one did not answer. */
  readonly strategy?: RingStrategy;
  /**
   * Called instead of redirecting the customer to voicemail once nobody answered (the queue re-queues the
   * caller); absent: voicemail. Called at most once per ringing.
   */
  readonly onUnanswered?: () => Promise<void>;
}

/** A leg that will never be answered: the provider's final statuses of an unanswered call. */
const UNANSWERED = new Set(['no-answer', 'busy', 'failed', 'canceled']);
/**
 * What a leg's final unanswered status says about its agent: a client that rejected ends `busy` (Twilio
 * and the sandbox alike); `failed` never reached the phone. `canceled` is ours (someone else answered,
 * or the customer left) and says nothing about the agent.
 */
const UNANSWERED_OUTCOMES: Readonly<Record<string, RingOutcome>> = { busy: 'declined', 'no-answer': 'no-answer', failed: 'unreachable' };
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
  /**
   * waiting: not rung yet (longest-idle); starting: addParticipant not settled; ringing; answered
   * (in-progress, joined or completed); unanswered.
   */
  state: 'waiting' | 'starting' | 'ringing' | 'answered' | 'unanswered';
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
 * With the longest-idle strategy the agents are rung one at a time, in the request's order, the next once
 * the last ended unanswered. Each agent's outcome (answered, declined, no-answer) is recorded with the call.
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
    private readonly outcomes: RingOutcomesRepository,
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

  /**
   * Rings every agent at once (ring-all), or the first (longest-idle); settles once each rung leg was
   * dialled or refused. A second request for the same customer rings nobody while the first still rings or
   * was answered; after a ringing nobody answered (handed back to the queue) the customer can be offered again.
   */
  async start(request: AgentRingRequest): Promise<void> {
    const earlier = this.byCustomer.get(request.customerCallSid);
    if (earlier && earlier.phase !== 'voicemail') return;
    if (earlier) this.forget(earlier);
    const ringing: Ringing = { request, legs: request.identities.map((identity) => ({ identity, callSid: null, state: 'waiting' })), phase: 'ringing' };
    this.byCustomer.set(request.customerCallSid, ringing);
    const first = request.strategy === 'longest-idle' ? ringing.legs.slice(0, 1) : ringing.legs;
    await this.ringLegs(ringing, first);
    await this.advance(ringing);
  }

  /** What is known of a customer's ringing (tests and logs). */
  phaseOf(customerCallSid: string): Ringing['phase'] | undefined {
    return this.byCustomer.get(customerCallSid)?.phase;
  }

  /** Rings these legs at once; the ringing is forgotten, and read back, relative to the last legs rung. */
  private async ringLegs(ringing: Ringing, legs: readonly Leg[]): Promise<void> {
    const timeoutMs = ringing.request.timeoutSeconds * 1000;
    clearTimeout(ringing.forget);
    ringing.forget = setTimeout(() => this.forget(ringing), timeoutMs + FORGET_AFTER_TIMEOUT_MS);
    ringing.forget.unref();
    clearTimeout(ringing.recheck);
    ringing.recheck = setTimeout(() => void this.recheck(ringing), timeoutMs + RECHECK_AFTER_TIMEOUT_MS);
    ringing.recheck.unref();
    for (const leg of legs) leg.state = 'starting';
    await Promise.all(legs.map((leg) => this.ring(ringing, leg)));
  }

  /**
   * Longest-idle: once no leg is starting or ringing, rings the next agent waiting (an agent who could not
   * be rung is passed over at once). Then settles: voicemail (or the queue) once every leg ended unanswered.
   */
  private async advance(ringing: Ringing): Promise<void> {
    while (ringing.phase === 'ringing' && !ringing.legs.some((leg) => leg.state === 'starting' || leg.state === 'ringing')) {
      const next = ringing.legs.find((leg) => leg.state === 'waiting');
      if (!next) break;
      this.logger.log(`Ringing ${next.identity} for ${ringing.request.customerCallSid} (longest idle next)`);
      await this.ringLegs(ringing, [next]);
    }
    await this.settle(ringing);
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
        void this.advance(ringing);
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
    this.record(ringing, { identity: leg.identity, outcome: 'answered' });
    if (ringing.phase !== 'ringing') return;
    ringing.phase = 'answered';
    this.logger.log(`${leg.identity} answered ${ringing.request.customerCallSid}: the other agents stop ringing`);
    for (const other of ringing.legs) if (other !== leg) this.cancel(other);
  }

  private legStatus(ringing: Ringing, leg: Leg, status: string): void {
    if (UNANSWERED.has(status)) {
      if (leg.state === 'answered') return;
      leg.state = 'unanswered';
      const outcome = UNANSWERED_OUTCOMES[status];
      if (outcome) this.record(ringing, { identity: leg.identity, outcome });
    } else if (status === 'in-progress' || status === 'completed') {
      // Answered (completed is only reached through an answer): never counted as unanswered, whatever comes later.
      leg.state = 'answered';
      this.record(ringing, { identity: leg.identity, outcome: 'answered' });
    }
  }

  /** Stores an agent's outcome for the call; the repository keeps the strongest, so repeats are harmless. */
  private record(ringing: Ringing, entry: RingOutcomeEntry): void {
    const customer = ringing.request.customerCallSid;
    this.outcomes.record(customer, [entry], new Date()).catch((error: unknown) => {
      this.logger.warn(`Could not record that ${entry.identity} ${entry.outcome} for ${customer}: ${(error as Error).message}`);
    });
  }

  /** Nobody will answer: the customer goes to the routed target's voicemail (or back to its queue), once. */
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
    await this.advance(ringing);
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
