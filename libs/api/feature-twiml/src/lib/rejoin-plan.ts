import type { TwimlPlan } from '@switchboard/api-data-access-telephony';
import { publicUrl, type AppConfig } from '@switchboard/api-data-access-config';
import type { RescuesRepository } from '@switchboard/api-data-access-db';
import { formParam, REJOIN_PARAM, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { agentLabel, ANCHOR_CONFERENCE_EVENTS, ANCHOR_EXIT_QUERY } from './conference-anchor';

export const SPOKEN_REJOIN_REFUSED = 'This call can no longer be rejoined. It has ended or the time to rejoin has passed. Goodbye.';

/**
 * The rescue a call placed by the softphone names (REJOIN_PARAM, its custom parameter), or undefined when
 * it is an ordinary call. Present but empty or repeated still counts as a rejoin (refused), never as a
 * call to whatever `To` says.
 */
export function rejoinRequestOf(body: unknown): { readonly rescueId: string } | undefined {
  if (typeof body !== 'object' || body === null || !Object.prototype.hasOwnProperty.call(body, REJOIN_PARAM)) return undefined;
  return { rescueId: formParam(body, REJOIN_PARAM, 64) ?? '' };
}

/**
 * A rejoin call of agent `identity` (an enabled agent, checked by the caller): admitted only for their own
 * open, unexpired rescue of a live conference (RescuesRepository.admitRejoin), it joins that conference as
 * the agent's new leg with the label call control expects; anything else is refused with a spoken reason.
 * Nothing is recorded: the leg belongs to the rescued call, which history already shows (the rescue
 * feature closes the rescue when the leg's participant-join arrives).
 */
export async function planRejoin(
  identity: string, rescueId: string, rescues: Pick<RescuesRepository, 'admitRejoin'>, config: AppConfig, now = new Date(),
): Promise<TwimlPlan> {
  const admitted = rescueId === '' ? undefined : await rescues.admitRejoin(identity, rescueId, now);
  if (!admitted) return { kind: 'say-and-hang-up', message: SPOKEN_REJOIN_REFUSED };
  return {
    kind: 'dial-conference',
    conferenceName: admitted.conferenceName,
    participantLabel: agentLabel(identity),
    startConferenceOnEnter: true,
    endConferenceOnExit: false,
    beep: false,
    // As the anchor's legs: a conference that ends, or a leg taken out, leaves nothing to do but hang up.
    actionUrl: publicUrl(config, WEBHOOK_ROUTES.dialComplete, ANCHOR_EXIT_QUERY),
    statusCallbackUrl: publicUrl(config, WEBHOOK_ROUTES.conferenceStatus),
    statusCallbackEvents: ANCHOR_CONFERENCE_EVENTS,
  };
}
