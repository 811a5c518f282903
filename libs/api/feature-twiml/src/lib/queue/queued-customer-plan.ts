import { publicUrl, type AppConfig } from '@switchboard/api-data-access-config';
import type { TwimlPlan } from '@switchboard/api-data-access-telephony';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { customerConferencePlan } from '../conference-anchor';

/** The query of the queue-wait webhook: which customer call is waiting (signed with the rest of the URL). */
export const QUEUE_WAIT_CALL_PARAM = 'call';

/**
 * A queued customer: the same conference as any anchored customer, but its wait music is the queue-wait
 * webhook, which says the caller's position before the music (Twilio fetches it again when it ends).
 */
export function queuedCustomerPlan(customerCallSid: string, config: AppConfig): TwimlPlan {
  const plan = customerConferencePlan(customerCallSid, config);
  if (plan.kind !== 'dial-conference') return plan;
  // POST, as every webhook of the API (they refuse other methods), signed over the URL and its form.
  return { ...plan, waitUrl: publicUrl(config, WEBHOOK_ROUTES.queueWait, { [QUEUE_WAIT_CALL_PARAM]: customerCallSid }), waitMethod: 'POST' };
}
