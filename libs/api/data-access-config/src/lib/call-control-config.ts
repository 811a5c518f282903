/**
 * HOLD_MUSIC_URL: what a held customer hears. Unset: the provider's own hold music (Twilio's default
 * music; the voice sandbox's built-in loop), so nothing has to be hosted. Set: an absolute http(s) URL of
 * an audio file or of TwiML (`<Play>`/`<Say>`), which Twilio fetches with GET. A query string is allowed
 * (signed storage links carry one); credentials and fragments are not, as the URL is handed to Twilio.
 */
export function readHoldMusicUrl(read: (name: string) => string | undefined, problems: string[]): string | null {
  const raw = read('HOLD_MUSIC_URL');
  if (raw === undefined) return null;
  const rule = 'HOLD_MUSIC_URL must be an absolute http(s) URL of audio or TwiML, without credentials or fragment';
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    problems.push(rule);
    return null;
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.username || parsed.password || parsed.hash || raw.includes('#')) {
    problems.push(rule);
    return null;
  }
  return parsed.toString();
}

/**
 * CUSTOMER_CALL_ANCHOR: how a call with a customer (an inbound call to a routed number, an agent's call to a
 * phone number) is connected.
 * - `conference` (default): the customer's leg is anchored in a conference named after the call
 *   (`sb-<CallSid>`, label `customer`): an inbound caller waits on HOLD_MUSIC_URL (or the provider's music)
 *   while the API rings each agent into it over REST; an agent's phone call joins its own conference and
 *   the number is added over REST. Hold, transfer, consult and rescue then work on the call.
 * - `direct`: the previous bridged `<Dial>` (the first softphone to answer, or the number, is bridged to
 *   the other leg); nothing can be held or transferred. Kept for accounts that cannot use conferences.
 * Calls between staff (agent to agent, a supervisor's ring-out) are direct in both.
 */
export type CustomerCallAnchor = 'direct' | 'conference';

export const CUSTOMER_CALL_ANCHORS: readonly CustomerCallAnchor[] = ['direct', 'conference'];

export function readCustomerCallAnchor(read: (name: string) => string | undefined, problems: string[]): CustomerCallAnchor {
  const raw = read('CUSTOMER_CALL_ANCHOR');
  if (raw === undefined) return 'conference';
  if (raw === 'direct' || raw === 'conference') return raw;
  problems.push('CUSTOMER_CALL_ANCHOR must be direct or conference');
  return 'conference';
}
