/**
 * Twilio's own hold music, which the sandbox answers itself instead of fetching it from the internet
 * (it fetches loopback URLs only). Twilio's default conference waitUrl, and what apps use when they
 * have no music of their own, is the hold-music twimlet:
 * `http://twimlets.com/holdmusic?Bucket=com.twilio.music.classical` (buckets classical, ambient,
 * electronica, guitars, rock, soft-rock). It answers TwiML that `<Play>`s each file of that S3 bucket
 * (`http://com.twilio.music.<genre>.s3.amazonaws.com/<file>.mp3`) and `<Redirect>`s to itself, so it
 * plays until the call leaves. The sandbox answers the twimlet with a `<Play loop="0">` of one such
 * file, and every file of those buckets with its built-in hold music: the sound an unset
 * waitUrl/holdUrl plays. Any other non-loopback URL is still refused (11210).
 */

const TWIMLET_HOSTS = new Set(['twimlets.com', 'www.twimlets.com']);
const TWIMLET_PATH = /^\/holdmusic\/?$/i;
const BUCKET = /^com\.twilio\.music\.[a-z0-9-]+$/i;
const S3_HOST = 's3.amazonaws.com';
/** The file the sandbox's twimlet answer plays; any file of a Twilio music bucket is the built-in loop. */
const BUILT_IN_FILE = 'sandbox-built-in-hold-music.mp3';

function parse(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The `com.twilio.music.*` bucket of a hold-music twimlet URL, or undefined for any other URL. */
export function twilioHoldMusicTwimletBucket(url: string): string | undefined {
  const parsed = parse(url);
  if (!parsed || !TWIMLET_HOSTS.has(parsed.hostname.toLowerCase()) || !TWIMLET_PATH.test(parsed.pathname)) return undefined;
  const bucket = parsed.searchParams.get('Bucket') ?? '';
  return BUCKET.test(bucket) ? bucket : undefined;
}

/** A file of one of Twilio's `com.twilio.music.*` S3 buckets (virtual-hosted or path-style URL). */
export function isTwilioHoldMusicFile(url: string): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  const host = parsed.hostname.toLowerCase();
  if (host.endsWith(`.${S3_HOST}`)) return BUCKET.test(host.slice(0, -S3_HOST.length - 1)) && parsed.pathname.length > 1;
  const [, bucket, ...file] = parsed.pathname.split('/');
  return host === S3_HOST && BUCKET.test(bucket ?? '') && file.join('/').length > 0;
}

/**
 * What the sandbox answers for one of Twilio's hold-music URLs, as the HTTP answer the real one gives
 * (TwiML for the twimlet, audio for a bucket's file); undefined for any other URL.
 */
export function twilioHoldMusicAnswer(url: string): { contentType: string; body: string } | undefined {
  const bucket = twilioHoldMusicTwimletBucket(url);
  if (bucket) {
    const file = `http://${bucket}.${S3_HOST}/${BUILT_IN_FILE}`;
    return { contentType: 'text/xml', body: `<?xml version="1.0" encoding="UTF-8"?><Response><Play loop="0">${file}</Play></Response>` };
  }
  // The audio itself is the audio fetcher's (it answers these files with the built-in loop).
  return isTwilioHoldMusicFile(url) ? { contentType: 'audio/mpeg', body: '' } : undefined;
}
