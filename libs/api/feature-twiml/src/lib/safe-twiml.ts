import type { TwimlPlan } from '@switchboard/api-data-access-telephony';
import { publicUrl, type AppConfig } from '@switchboard/api-data-access-config';
import { formParam, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { SPOKEN } from './call-planner';
import { ANCHOR_EXIT_QUERY } from './conference-anchor';
import { missedOutcomeOf, OUTBOUND_EXIT_QUERY, OUTBOUND_MISSED_ANCHOR, SPOKEN_MISSED } from './outbound-anchor';

/** The TwiML webhooks, by what their safe answer must be. */
export type TwimlRoute = 'outgoing' | 'incoming' | 'dial-complete' | 'voicemail-complete' | 'ring-agent-answered';

/**
 * What a TwiML webhook answers when it cannot decide in time (the database is slow or failing): never
 * a 5xx or silence, which make Twilio play "an application error has occurred". An agent's own call
 * hears a spoken apology; an outside caller is offered voicemail, since their message is the one thing
 * we can still keep. Built without the database, from the request alone (its body, and the query of our
 * own signed URL: the `anchor` of a conference leg's `<Dial action>`).
 */
export function safePlan(route: TwimlRoute, body: unknown, config: AppConfig, query: unknown = {}): TwimlPlan {
  const apology: TwimlPlan = { kind: 'say-and-hang-up', message: SPOKEN.error };
  switch (route) {
    case 'incoming':
      return voicemailWithoutDatabase(body, config);
    case 'dial-complete': {
      const anchor = formParam(query, 'anchor');
      // A leg that left its conference has nothing more to hear; an agent whose number was missed hears why.
      if (anchor === ANCHOR_EXIT_QUERY.anchor || anchor === OUTBOUND_EXIT_QUERY.anchor) return { kind: 'hang-up' };
      const missed = anchor === OUTBOUND_MISSED_ANCHOR ? missedOutcomeOf(formParam(query, 'outcome')) : null;
      if (anchor === OUTBOUND_MISSED_ANCHOR) return { kind: 'say-and-hang-up', message: missed ? SPOKEN_MISSED[missed] : SPOKEN.noAnswer };
      const dialStatus = formParam(body, 'DialCallStatus');
      if (dialStatus === 'completed' || dialStatus === 'answered') return { kind: 'hang-up' };
      // The parent call's From says who is waiting: an agent (client:…) or an outside caller.
      return (formParam(body, 'From') ?? '').startsWith('client:') ? apology : voicemailWithoutDatabase(body, config);
    }
    case 'voicemail-complete':
      return { kind: 'say-and-hang-up', message: SPOKEN.thanks };
    case 'outgoing':
    case 'ring-agent-answered':
      return apology;
  }
}

/**
 * Voicemail whose recording callback URL names the dialled number and the caller: the call record may
 * never have been written, and the recording callback then finds the owner from these (Twilio signs
 * the URL, query included).
 */
function voicemailWithoutDatabase(body: unknown, config: AppConfig): TwimlPlan {
  const dialled: Record<string, string> = {};
  const to = formParam(body, 'To', 128);
  const from = formParam(body, 'From', 128);
  if (to) dialled['to'] = to;
  if (from) dialled['from'] = from;
  return {
    kind: 'voicemail',
    greeting: SPOKEN.voicemailGreeting,
    maxLengthSeconds: config.calls.voicemailMaxLengthSeconds,
    actionUrl: publicUrl(config, WEBHOOK_ROUTES.voicemailComplete),
    recordingStatusCallbackUrl: publicUrl(config, WEBHOOK_ROUTES.recordingStatus, dialled),
  };
}
