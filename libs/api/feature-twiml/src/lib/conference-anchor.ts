import type { ConferenceEventName, TwimlPlan } from '@switchboard/api-data-access-telephony';
import { publicUrl, type AppConfig } from '@switchboard/api-data-access-config';
import { SID_PATTERNS, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';

/**
 * The label of the customer's leg: the same value as CUSTOMER_PARTICIPANT_LABEL in feature-conferences,
 * which reads it to know which call a conference anchors (repeated here: feature libraries do not import
 * each other).
 */
export const CUSTOMER_LABEL = 'customer';

/** An agent's leg is labelled with its softphone address, as call control expects. */
export const agentLabel = (identity: string): string => `client:${identity}`;

/** Conference events the API records: what call control and the ringing need. */
export const ANCHOR_CONFERENCE_EVENTS: readonly ConferenceEventName[] = ['start', 'end', 'join', 'leave', 'mute', 'hold'];

const NAME_PREFIX = 'sb-';
const ANCHOR_NAME = new RegExp(`^${NAME_PREFIX}(CA[0-9a-f]{32})$`);

/** The conference a customer call is anchored in is named after that call, so every callback names it. */
export function anchorConferenceName(customerCallSid: string): string {
  return `${NAME_PREFIX}${customerCallSid}`;
}

/** The customer call a conference anchors, from its friendly name; null for any other conference. */
export function anchoredCallOf(friendlyName: string): string | null {
  const match = ANCHOR_NAME.exec(friendlyName);
  return match && SID_PATTERNS.call.test(match[1]) ? match[1] : null;
}

/**
 * `anchor` in the query of the `<Dial action>` (dial-complete) route, for the two ways a customer leaves
 * the conference TwiML: `exit` (the conference ended or they were taken out: hang up) and `unanswered`
 * (the API redirected them because no agent answered: voicemail). Reusing the route keeps the webhook
 * list, and a real account's configuration, unchanged.
 */
export const ANCHOR_EXIT_QUERY = { anchor: 'exit' } as const;
export const ANCHOR_UNANSWERED_QUERY = { anchor: 'unanswered' } as const;

/** `<Dial><Conference>` for an inbound customer: waits (music) until an agent joins; leaving ends it. */
export function customerConferencePlan(customerCallSid: string, config: AppConfig): TwimlPlan {
  return {
    kind: 'dial-conference',
    conferenceName: anchorConferenceName(customerCallSid),
    participantLabel: CUSTOMER_LABEL,
    startConferenceOnEnter: false,
    endConferenceOnExit: true,
    beep: false,
    ...(config.calls.holdMusicUrl === null ? {} : { waitUrl: config.calls.holdMusicUrl }),
    actionUrl: publicUrl(config, WEBHOOK_ROUTES.dialComplete, ANCHOR_EXIT_QUERY),
    statusCallbackUrl: publicUrl(config, WEBHOOK_ROUTES.conferenceStatus),
    statusCallbackEvents: ANCHOR_CONFERENCE_EVENTS,
  };
}
