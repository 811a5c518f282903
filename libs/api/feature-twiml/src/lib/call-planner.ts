import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ConferencesRepository } from '@switchboard/api-data-access-db';
import {
  AgentsRepository, CallsRepository, CallStartWriter, EnabledAgents, OutboundCallCaps, RescuesRepository, RingOutcomesRepository, RoutingRepository,
  type OutboundCap,
} from '@switchboard/api-data-access-db';
import { AgentEligibility } from '@switchboard/api-data-access-presence';
import type { TwimlPlan } from '@switchboard/api-data-access-telephony';
import { APP_CONFIG, outboundCapLimits, publicUrl, type AppConfig } from '@switchboard/api-data-access-config';
import { clientAddress, clientIdentity, formParam, isIdentity, SID_PATTERNS, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { evaluateNumberPolicy, isE164 } from '@switchboard/shared-util-phone';
import type { AgentRingRequest } from './agent-ringing';
import { ANCHOR_EXIT_QUERY, ANCHOR_UNANSWERED_QUERY, customerConferencePlan } from './conference-anchor';
import {
  agentConferencePlan, missedOutcomeOf, OUTBOUND_EXIT_QUERY, OUTBOUND_MISSED_ANCHOR, SPOKEN_MISSED, type OutboundDialRequest,
} from './outbound-anchor';
import type { QueueRequest } from './queue/call-queue';
import { queuedCustomerPlan } from './queue/queued-customer-plan';
import { monitorRequestOf, planMonitor } from './monitor-plan';
import { planRejoin, rejoinRequestOf } from './rejoin-plan';

export const SPOKEN = {
  badRequest: 'Sorry, this call could not be placed. Goodbye.',
  callerNotAllowed: 'Sorry, this phone is not allowed to place calls. Goodbye.',
  nothingDialled: 'No number was dialled. Please enter a number and try again.',
  unknownAgent: 'The agent you are calling does not exist or is not available. Goodbye.',
  callingYourself: 'You cannot call yourself. Goodbye.',
  notInService: 'The number you have called is not in service. Goodbye.',
  voicemailGreeting: 'Sorry, nobody can take your call right now. Please leave a message after the beep, then hang up or press the pound key.',
  noAnswer: 'The call could not be completed. Goodbye.',
  thanks: 'Thank you for your message. Goodbye.',
  error: 'Sorry, something went wrong on our side. Please try again later. Goodbye.',
  lineTest: 'This is the Switchboard line test. Please stay on the line while we measure your connection.',
} as const;

/** How long the line test's call stays silent for the SDK's preflight to measure (issue 14). */
export const LINE_TEST_PAUSE_SECONDS = 10;

/** Why a phone call was refused by a toll-fraud cap, as the agent hears it. */
export const SPOKEN_CAP_REFUSALS: Readonly<Record<OutboundCap, string>> = {
  'active-call': 'You already have a call to a phone number in progress. Finish it before placing another. Goodbye.',
  'hourly-limit': 'You have reached the limit of calls to phone numbers for this hour. Please try again later. Goodbye.',
  'daily-limit': "Today's limit of calls to phone numbers for your organisation has been reached. Please contact your administrator. Goodbye.",
};

const say = (message: string): TwimlPlan => ({ kind: 'say-and-hang-up', message });

/** The decisions behind every TwiML webhook; pure of TwiML itself (the renderer builds the document). */
@Injectable()
export class CallPlanner {
  private readonly logger = new Logger('CallPlanner');

  constructor(
    private readonly agents: AgentsRepository,
    private readonly routing: RoutingRepository,
    private readonly calls: CallsRepository,
    private readonly enabledAgents: EnabledAgents,
    private readonly callStarts: CallStartWriter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly caps: OutboundCallCaps,
    private readonly rescues: RescuesRepository,
    private readonly eligibility: AgentEligibility,
    private readonly ringOutcomes: RingOutcomesRepository,
  ) {}

  /** For a supervisor's monitoring call (planMonitor); injected as a property so the routing's constructor stays as it is. */
  @Optional() @Inject(ConferencesRepository) private readonly conferences?: ConferencesRepository;

  /** TwiML App voice URL: an agent's browser placed a call. */
  async planOutgoing(body: unknown): Promise<TwimlPlan> {
    return (await this.planAgentCall(body)).plan;
  }

  /**
   * An agent's call's TwiML and, for a phone call anchored in a conference (CUSTOMER_CALL_ANCHOR=conference),
   * the number to dial into it once that TwiML is answered (null: nothing to dial from here). Calls
   * between staff stay direct `<Dial><Client>`: no customer is on them to hold or rescue.
   */
  async planAgentCall(body: unknown): Promise<{ readonly plan: TwimlPlan; readonly dial: OutboundDialRequest | null }> {
    const plan = (value: TwimlPlan) => ({ plan: value, dial: null });
    const callSid = formParam(body, 'CallSid');
    if (!callSid || !SID_PATTERNS.call.test(callSid)) return plan(say(SPOKEN.badRequest));
    const callerIdentity = clientIdentity(formParam(body, 'From'));
    const caller = callerIdentity ? await this.enabledAgents.find(callerIdentity) : undefined;
    if (!caller) {
      this.logger.warn(`Outgoing call ${callSid} refused: From is not an enabled agent`);
      return plan(say(SPOKEN.callerNotAllowed));
    }
    // A rejoin is the agent's way back into a rescued call, whatever `To` says; it is never a call of its own.
    const rejoin = rejoinRequestOf(body);
    if (rejoin) return plan(await planRejoin(caller.identity, rejoin.rescueId, this.rescues, this.config));
    // Likewise a supervisor's listen / whisper / barge joins the customer's conference, never dials `To`.
    const monitor = monitorRequestOf(body);
    if (monitor) return plan(await planMonitor(caller, monitor, this.conferences, this.config));
    const to = (formParam(body, 'To', 512) ?? '').trim();
    // Issue 14: the SDK's preflight (`Device.runPreflight`) connects with no params at all. An enabled
    // agent's call with no `To` and no Switchboard* parameter is that line test: it is marked so its
    // status callbacks never make it a call of its own, and never written to history here.
    if (to === '' && isLineTest(body)) {
      await this.calls.markLineTest(callSid);
      return plan({ kind: 'line-test', message: SPOKEN.lineTest, pauseSeconds: LINE_TEST_PAUSE_SECONDS });
    }
    if (to === '') return plan(say(SPOKEN.nothingDialled));

    const calleeIdentity = to.startsWith('client:') ? clientIdentity(to) : isAgentName(to) ? to : undefined;
    if (to.startsWith('client:') || calleeIdentity !== undefined) {
      const callee = calleeIdentity ? await this.enabledAgents.find(calleeIdentity) : undefined;
      if (!callee) return plan(say(SPOKEN.unknownAgent));
      if (callee.identity === caller.identity) return plan(say(SPOKEN.callingYourself));
      await this.callStarts.record({
        callSid, direction: 'outbound', from: clientAddress(caller.identity), to: clientAddress(callee.identity),
        participants: [caller.identity, callee.identity], voicemailTarget: `agent:${callee.identity}`,
        status: 'initiated', at: new Date(),
      });
      return plan({
        kind: 'dial-clients',
        identities: [callee.identity],
        timeoutSeconds: this.config.calls.dialTimeoutSeconds,
        actionUrl: publicUrl(this.config, WEBHOOK_ROUTES.dialComplete),
        answerOnBridge: true,
      });
    }

    const decision = evaluateNumberPolicy(to, this.config.numberPolicy);
    if (!decision.allowed) {
      this.logger.warn(`Outgoing call ${callSid} by ${caller.identity} refused: ${decision.reason} (${decision.detail})`);
      // Audited as typed (bounded): what an attacker tried is the point of the audit.
      await this.caps.recordRefusal({ callSid, agentIdentity: caller.identity, to: storable(to.slice(0, 64)), at: new Date() }, decision.reason);
      return plan(say(decision.spoken));
    }
    const grant = await this.caps.grant(
      { callSid, agentIdentity: caller.identity, to: decision.e164, at: new Date() }, outboundCapLimits(this.config),
    );
    if (!grant.granted) {
      this.logger.warn(`Outgoing call ${callSid} by ${caller.identity} refused: ${grant.cap} cap`);
      return plan(say(SPOKEN_CAP_REFUSALS[grant.cap]));
    }
    await this.callStarts.record({
      callSid, direction: 'outbound', from: clientAddress(caller.identity), to: decision.e164,
      participants: [caller.identity], voicemailTarget: null, status: 'initiated', at: new Date(),
    });
    const timeoutSeconds = this.config.calls.dialTimeoutSeconds;
    if (this.config.calls.customerCallAnchor === 'conference') {
      return {
        plan: agentConferencePlan(callSid, caller.identity, this.config),
        dial: { agentCallSid: callSid, identity: caller.identity, number: decision.e164, timeoutSeconds },
      };
    }
    return plan({
      kind: 'dial-number',
      number: decision.e164,
      callerId: this.config.twilio.callerId,
      timeoutSeconds,
      timeLimitSeconds: this.config.outboundLimits.callTimeLimitSeconds,
      actionUrl: publicUrl(this.config, WEBHOOK_ROUTES.dialComplete),
      statusCallbackUrl: publicUrl(this.config, WEBHOOK_ROUTES.status),
    });
  }

  /** A phone number's voice URL: route to an agent or ring group. */
  async planIncoming(body: unknown): Promise<TwimlPlan> {
    return (await this.planInbound(body)).plan;
  }

  /**
   * The incoming call's TwiML and, with CUSTOMER_CALL_ANCHOR=conference, either the agents to ring into the
   * customer's conference once that TwiML is answered, or the queue to hand the customer to (both null:
   * nobody to ring from here). With ROUTE_ONLY_AVAILABLE, only the members Available and reachable ring
   * (longest idle first), and why each other member was not rung is recorded with the call; when none
   * is, the caller waits in the queue (conference anchor and QUEUE_MAX_WAIT_SECONDS > 0) or reaches voicemail.
   */
  async planInbound(body: unknown): Promise<{ readonly plan: TwimlPlan; readonly ring: AgentRingRequest | null; readonly queue: QueueRequest | null }> {
    const plan = (value: TwimlPlan) => ({ plan: value, ring: null, queue: null });
    const callSid = formParam(body, 'CallSid');
    if (!callSid || !SID_PATTERNS.call.test(callSid)) return plan(say(SPOKEN.badRequest));
    const to = (formParam(body, 'To') ?? '').trim();
    const from = storable((formParam(body, 'From', 128) ?? '').trim()) || 'anonymous';
    if (!isE164(to)) return plan(say(SPOKEN.notInService));
    const route = await this.routing.routeFor(to);
    if (!route) return plan(say(SPOKEN.notInService));
    const members = await this.routing.enabledAgentsOf(route);
    const voicemailTarget = `${route.kind}:${route.name}`;
    const at = new Date();
    await this.callStarts.record({
      callSid, direction: 'inbound', from, to, participants: members, voicemailTarget, status: 'ringing', at,
    });
    if (members.length === 0) return plan(this.voicemail());
    const identities = await this.ringable(callSid, members, at);
    const anchored = this.config.calls.customerCallAnchor === 'conference';
    if (identities.length === 0) {
      if (!anchored || this.config.floor.queueMaxWaitSeconds === 0) return plan(this.voicemail());
      return {
        plan: queuedCustomerPlan(callSid, this.config),
        ring: null,
        queue: { customerCallSid: callSid, customerNumber: from, target: voicemailTarget, members },
      };
    }
    const strategy = await this.routing.strategyOf(route);
    const timeoutSeconds = strategy === 'longest-idle' ? this.config.floor.longestIdleRingSeconds : this.config.calls.dialTimeoutSeconds;
    if (anchored) {
      return {
        plan: customerConferencePlan(callSid, this.config),
        ring: { customerCallSid: callSid, customerNumber: from, identities, timeoutSeconds, strategy },
        queue: null,
      };
    }
    // A direct <Dial> rings its clients together: one agent at a time needs the conference anchor.
    return plan({
      kind: 'dial-clients',
      identities,
      timeoutSeconds: this.config.calls.dialTimeoutSeconds,
      actionUrl: publicUrl(this.config, WEBHOOK_ROUTES.dialComplete),
      answerOnBridge: true,
    });
  }

  /**
   * The members to ring, in the order to ring them: every one (ROUTE_ONLY_AVAILABLE=false), or the
   * Available and reachable ones, longest idle first, after recording why each other one is not rung.
   */
  private async ringable(callSid: string, members: readonly string[], at: Date): Promise<string[]> {
    if (!this.config.floor.routeOnlyAvailable) return [...members];
    const { eligible, skipped } = await this.eligibility.eligible(members, at);
    await this.ringOutcomes.record(callSid, skipped, at);
    return eligible.map((agent) => agent.identity);
  }

  /**
   * `<Dial action>`: answered → hang up; an agent declined another agent's call → reject it, so the
   * caller sees "declined"; otherwise voicemail for whoever was rung.
   */
  async planDialComplete(body: unknown, query: unknown = {}): Promise<TwimlPlan> {
    const callSid = formParam(body, 'CallSid');
    if (!callSid || !SID_PATTERNS.call.test(callSid)) return say(SPOKEN.badRequest);
    const anchor = formParam(query, 'anchor');
    // A customer anchored in a conference left it (it ended, or they were taken out): nothing follows.
    if (anchor === ANCHOR_EXIT_QUERY.anchor) return { kind: 'hang-up' };
    if (anchor === OUTBOUND_EXIT_QUERY.anchor || anchor === OUTBOUND_MISSED_ANCHOR) return this.outboundAnchorEnded(callSid, formParam(query, 'outcome'));
    const dialStatus = anchor === ANCHOR_UNANSWERED_QUERY.anchor ? 'no-answer' : formParam(body, 'DialCallStatus');
    // The <Dial> is over whatever its outcome: a phone call no longer counts against the agent's cap.
    await this.caps.end(callSid, new Date());
    if (dialStatus === 'completed' || dialStatus === 'answered') return { kind: 'hang-up' };
    // no-answer, busy, failed, canceled, and anything missing or unknown: keep the caller's message.
    const call = await this.calls.findBySid(callSid);
    // Twilio reports a <Client> that declined as busy. The record, written by our own outgoing
    // webhook, says whether this was an agent calling an agent.
    if (dialStatus === 'busy' && call && isAgentToAgent(call)) return { kind: 'reject', reason: 'rejected' };
    if (!call?.voicemailTarget) return say(SPOKEN.noAnswer);
    return this.voicemail();
  }

  /**
   * An agent's anchored phone call left its conference: the cap grant ends. When the API redirected it
   * because the number never answered, its record keeps that outcome (as the direct `<Dial>`'s parent call
   * would: the agent's own leg was answered by the conference, so no callback says it) and the agent hears why.
   */
  private async outboundAnchorEnded(callSid: string, outcomeParam: string | undefined): Promise<TwimlPlan> {
    const at = new Date();
    await this.caps.end(callSid, at);
    const outcome = missedOutcomeOf(outcomeParam);
    if (!outcome) return { kind: 'hang-up' };
    // Terminal statuses share one rank: stored before the leg completes, the agent's `completed` changes nothing.
    await this.calls.applyStatusEvent({
      callSid, callStatus: outcome, sequenceNumber: 'outbound-anchor', payload: { CallSid: callSid, CallStatus: outcome, Source: 'switchboard' },
      from: null, to: null, direction: 'outbound', durationSeconds: 0, at,
    });
    return say(SPOKEN_MISSED[outcome]);
  }

  planVoicemailComplete(): TwimlPlan {
    return say(SPOKEN.thanks);
  }

  /** A supervisor rang an agent over REST; the agent answered: connect the supervisor. */
  async planRingAgentAnswered(query: unknown): Promise<TwimlPlan> {
    const supervisor = formParam(query, 'supervisor');
    const agent = supervisor && isIdentity(supervisor) ? await this.agents.findEnabled(supervisor) : undefined;
    if (!agent) return say('Your supervisor asked to reach you. Goodbye.');
    return {
      kind: 'dial-clients',
      identities: [agent.identity],
      greeting: `Connecting you to ${agent.displayName}.`,
      timeoutSeconds: this.config.calls.dialTimeoutSeconds,
      actionUrl: publicUrl(this.config, WEBHOOK_ROUTES.dialComplete),
      answerOnBridge: true,
    };
  }

  private voicemail(): TwimlPlan {
    return {
      kind: 'voicemail',
      greeting: SPOKEN.voicemailGreeting,
      maxLengthSeconds: this.config.calls.voicemailMaxLengthSeconds,
      actionUrl: publicUrl(this.config, WEBHOOK_ROUTES.voicemailComplete),
      recordingStatusCallbackUrl: publicUrl(this.config, WEBHOOK_ROUTES.recordingStatus),
    };
  }
}

/** Postgres refuses U+0000 in text: a NUL in a caller's number or a typed destination must not cost the record. */
function storable(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD');
}

/** A bare agent identity: letters, digits and underscores with at least one non-digit (digits alone are a number). */
function isAgentName(value: string): boolean {
  return isIdentity(value) && /[A-Za-z_]/.test(value);
}

function isAgentToAgent(call: { direction: string; from: string; to: string }): boolean {
  return call.direction === 'outbound' && call.from.startsWith('client:') && call.to.startsWith('client:');
}

/**
 * No `To` (absent or empty; a repeated one is a malformed call, not a test) and no Switchboard* parameter
 * (rejoin, monitor…): what the SDK's preflight call sends.
 */
function isLineTest(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const to = (body as Record<string, unknown>)['To'];
  return (to === undefined || to === '') && !Object.keys(body).some((name) => name.startsWith('Switchboard'));
}
