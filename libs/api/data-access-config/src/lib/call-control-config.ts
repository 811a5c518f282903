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
