import type { AppConfig } from '@switchboard/api-data-access-config';

/**
 * One piece of Twilio's own hold music (its classical bucket), played when HOLD_MUSIC_URL is unset. A
 * single file, not the hold-music twimlet: the twimlet `<Redirect>`s to itself for ever, and the position
 * is said again only when the wait document ends. The voice sandbox answers the bucket's files with its
 * built-in loop, fetching nothing off the machine.
 */
export const PROVIDER_HOLD_MUSIC_FILE = 'http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3';

/** What a queued caller hears before each round of music. */
export function queuePositionMessage(position: number): string {
  return `You are caller number ${position} in the queue. Please hold: the next available agent will take your call.`;
}

/**
 * The `waitUrl` document of a queued caller: their position (none once they left the queue), then the
 * music once. When it ends the provider fetches the document again, so the position is said each round
 * and follows the queue as it moves.
 */
export function queueWaitTwiml(position: number | null, config: Pick<AppConfig, 'calls'>): string {
  const music = config.calls.holdMusicUrl ?? PROVIDER_HOLD_MUSIC_FILE;
  const say = position === null ? '' : `<Say>${xml(queuePositionMessage(position))}</Say>`;
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${say}<Play>${xml(music)}</Play></Response>`;
}

/**
 * The wait document of a caller not queued yet: the incoming webhook queues them just after its TwiML
 * is answered, and the provider may fetch this before. A one-second pause, then it is fetched again,
 * so the caller hears their position at once rather than after a round of music.
 */
export const NOT_YET_QUEUED_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Pause length="1"/></Response>';

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
