import type { TwimlPlan } from '@switchboard/api-data-access-telephony';
import { publicUrl, type AppConfig } from '@switchboard/api-data-access-config';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { agentLabel, anchorConferenceName, ANCHOR_CONFERENCE_EVENTS } from './conference-anchor';

/**
 * An agent's phone call with CUSTOMER_CALL_ANCHOR=conference: the agent's own leg (the call their browser
 * placed) joins the conference named after it, `sb-<agentCallSid>`, and the API dials the number into it
 * over REST, labelled `customer`, so hold and transfer find it exactly as for an inbound customer. The
 * agent's call is the one call in history (its record is written by the outgoing webhook, to = the
 * number); the number's leg is the conference's anchor for call control.
 */

/** What the API dials into the agent's conference once its TwiML was answered. */
export interface OutboundDialRequest {
  readonly agentCallSid: string;
  readonly identity: string;
  /** E.164, already allowed by the number policy and counted against the caps. */
  readonly number: string;
  readonly timeoutSeconds: number;
}

/**
 * `anchor` in the query of the agent's `<Dial action>` (dial-complete): `outbound-exit` when the agent left
 * their conference (it ended, the time limit passed, or they hung up), `outbound-missed` when the API
 * redirected them because the number did not answer (`outcome` says how it ended).
 */
export const OUTBOUND_EXIT_QUERY = { anchor: 'outbound-exit' } as const;
export const OUTBOUND_MISSED_ANCHOR = 'outbound-missed';

/** How the number's leg ended without answering; what the agent hears and their call's record keeps. */
export type MissedOutcome = 'no-answer' | 'busy' | 'failed';

export const SPOKEN_MISSED: Readonly<Record<MissedOutcome, string>> = {
  'no-answer': 'The number you called did not answer. Goodbye.',
  busy: 'The number you called is busy. Goodbye.',
  failed: 'The call could not be connected. Goodbye.',
};

/**
 * The provider's final status of a leg that was never answered, as the agent's outcome; null for any other
 * status. A leg the API cancelled (the agent left first) is `canceled`: nobody is left to tell.
 */
export function missedOutcomeOf(status: string | undefined): MissedOutcome | null {
  return status === 'no-answer' || status === 'busy' || status === 'failed' ? status : null;
}

export function outboundMissedQuery(outcome: MissedOutcome): Readonly<Record<string, string>> {
  return { anchor: OUTBOUND_MISSED_ANCHOR, outcome };
}

/**
 * `<Dial><Conference>` for the agent's leg: it starts the conference (the agent hears the number ring, as
 * early media, instead of music), and leaving does not end it (a transfer or consult may go on without
 * them; LoneCustomerEnding ends a conference left to the customer alone). The call time limit of phone
 * calls applies as for `<Dial><Number>`.
 */
export function agentConferencePlan(agentCallSid: string, identity: string, config: AppConfig): TwimlPlan {
  return {
    kind: 'dial-conference',
    conferenceName: anchorConferenceName(agentCallSid),
    participantLabel: agentLabel(identity),
    startConferenceOnEnter: true,
    endConferenceOnExit: false,
    beep: false,
    timeLimitSeconds: config.outboundLimits.callTimeLimitSeconds,
    actionUrl: publicUrl(config, WEBHOOK_ROUTES.dialComplete, OUTBOUND_EXIT_QUERY),
    statusCallbackUrl: publicUrl(config, WEBHOOK_ROUTES.conferenceStatus),
    statusCallbackEvents: ANCHOR_CONFERENCE_EVENTS,
  };
}
