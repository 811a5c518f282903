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
 * CUSTOMER_CALL_ANCHOR: how an inbound call to a routed number reaches the agents.
 * - `direct` (default): the call `<Dial>`s the ring group's softphones; the first to answer is bridged to
 *   the caller; no answer ends in voicemail. Hold and transfer are not possible on such a call.
 * - `conference`: the caller joins a conference named after their call (`sb-<CallSid>`, label `customer`,
 *   waiting on HOLD_MUSIC_URL or the provider's music) and the API rings each reachable agent into it over
 *   REST; the first to answer joins, the others stop ringing; nobody answering, or telephony unavailable,
 *   sends the caller to the same voicemail. Hold (and later transfer and rescue) then work on the call.
 */
export type CustomerCallAnchor = 'direct' | 'conference';

export const CUSTOMER_CALL_ANCHORS: readonly CustomerCallAnchor[] = ['direct', 'conference'];

export function readCustomerCallAnchor(read: (name: string) => string | undefined, problems: string[]): CustomerCallAnchor {
  const raw = read('CUSTOMER_CALL_ANCHOR');
  if (raw === undefined) return 'direct';
  if (raw === 'direct' || raw === 'conference') return raw;
  problems.push('CUSTOMER_CALL_ANCHOR must be direct or conference');
  return 'direct';
}
