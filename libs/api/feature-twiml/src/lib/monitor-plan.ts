import type { TwimlPlan } from '@switchboard/api-data-access-telephony';
import { publicUrl, type AppConfig } from '@switchboard/api-data-access-config';
import type { ConferencesRepository, CurrentParticipant } from '@switchboard/api-data-access-db';
import { formParam, MONITOR_MODES, MONITOR_PARAMS, SID_PATTERNS, WEBHOOK_ROUTES, type AgentRole, type MonitorMode } from '@switchboard/shared-contracts';
import { ANCHOR_CONFERENCE_EVENTS, ANCHOR_EXIT_QUERY, CUSTOMER_LABEL } from './conference-anchor';

/**
 * A supervisor's leg is labelled `monitor:<identity>`: the same value feature-floor reads to know who is
 * monitoring (repeated there: feature libraries do not import each other). Never `client:`, so call
 * control, the ringing and the board never take it for an agent on the call.
 */
export const monitorLabel = (identity: string): string => `monitor:${identity}`;
const MONITOR_LABEL_PREFIX = 'monitor:';

export const SPOKEN_MONITOR = {
  notSupervisor: 'Only supervisors can listen to customer calls. Goodbye.',
  badRequest: 'This call cannot be monitored. Goodbye.',
  noAgentOnCall: 'That call has ended, or no agent is on it now. Goodbye.',
  alreadyMonitoring: 'You are already monitoring this call. Goodbye.',
} as const;

export interface MonitorRequest {
  /** The customer's CallSid (the call the conference anchors); '' when missing or malformed (refused). */
  readonly customerCallSid: string;
  /** undefined when missing or not one of MONITOR_MODES (refused). */
  readonly mode: MonitorMode | undefined;
}

/**
 * The monitoring a supervisor's softphone call asks for (MONITOR_PARAMS, its custom parameters), or
 * undefined for an ordinary call. Present but malformed still counts as monitoring (refused), never as a
 * call to whatever `To` says.
 */
export function monitorRequestOf(body: unknown): MonitorRequest | undefined {
  if (typeof body !== 'object' || body === null || !Object.prototype.hasOwnProperty.call(body, MONITOR_PARAMS.callSid)) return undefined;
  const callSid = formParam(body, MONITOR_PARAMS.callSid, 64) ?? '';
  const mode = formParam(body, MONITOR_PARAMS.mode, 16);
  return {
    customerCallSid: SID_PATTERNS.call.test(callSid) ? callSid : '',
    mode: (MONITOR_MODES as readonly string[]).includes(mode ?? '') ? mode as MonitorMode : undefined,
  };
}

/** An agent's leg among the current participants: a softphone leg (identity known) that is neither the customer nor a monitor. */
function isAgentLeg(participant: CurrentParticipant, anchorCallSid: string): boolean {
  return participant.agentIdentity !== null && participant.callSid !== anchorCallSid && participant.label !== CUSTOMER_LABEL
    && !(participant.label ?? '').startsWith(MONITOR_LABEL_PREFIX);
}

/**
 * A monitoring call of `caller` (an enabled agent, checked by the caller): admitted only for a supervisor,
 * into the live conference anchoring `customerCallSid` while an agent is in it. The supervisor joins as
 * `monitor:<identity>`, never starting or ending the conference and without a beep: listen = muted (hears
 * everyone, heard by nobody), whisper = coaching the agent's leg (heard by the agent only; the earliest
 * agent leg when several are in), barge = heard by everyone. Anything else is refused with a spoken reason.
 * Nothing is recorded as a call: the board and the agents learn of it from the leg's participant-join.
 */
export async function planMonitor(
  caller: { readonly identity: string; readonly role: AgentRole }, request: MonitorRequest,
  conferences: Pick<ConferencesRepository, 'findByAnchorCall' | 'currentParticipants'> | undefined, config: AppConfig,
): Promise<TwimlPlan> {
  const say = (message: string): TwimlPlan => ({ kind: 'say-and-hang-up', message });
  if (caller.role !== 'supervisor') return say(SPOKEN_MONITOR.notSupervisor);
  if (request.customerCallSid === '' || request.mode === undefined) return say(SPOKEN_MONITOR.badRequest);
  // A planner built without the conference record (a unit test's) admits nobody.
  const conference = await conferences?.findByAnchorCall(request.customerCallSid);
  if (!conference || conference.status === 'completed') return say(SPOKEN_MONITOR.noAgentOnCall);
  const present = await (conferences as NonNullable<typeof conferences>).currentParticipants(conference.conferenceSid);
  const agentLeg = present.find((participant) => isAgentLeg(participant, request.customerCallSid));
  if (!agentLeg || !present.some((participant) => participant.callSid === request.customerCallSid)) return say(SPOKEN_MONITOR.noAgentOnCall);
  // Labels are unique in a conference: a second tab of the same supervisor would be refused by the provider.
  if (present.some((participant) => participant.label === monitorLabel(caller.identity))) return say(SPOKEN_MONITOR.alreadyMonitoring);
  return {
    kind: 'dial-conference',
    conferenceName: conference.friendlyName,
    participantLabel: monitorLabel(caller.identity),
    startConferenceOnEnter: false,
    endConferenceOnExit: false,
    beep: false,
    ...(request.mode === 'listen' ? { muted: true } : {}),
    ...(request.mode === 'whisper' ? { coachCallSid: agentLeg.callSid } : {}),
    // As the anchor's legs: the conference ending, or the supervisor taken out, leaves nothing to do but hang up.
    actionUrl: publicUrl(config, WEBHOOK_ROUTES.dialComplete, ANCHOR_EXIT_QUERY),
    statusCallbackUrl: publicUrl(config, WEBHOOK_ROUTES.conferenceStatus),
    statusCallbackEvents: ANCHOR_CONFERENCE_EVENTS,
  };
}
