import { CallLegControl, SandboxClock, TelephonyCore } from '@switchboard/sandbox-model';
import { AudioFetcher, RecordingStore, SandboxLogger, SpeechSynthesizer } from '../ports';
import { HttpMethod } from '../twiml/twiml-verbs';
import { WebhookClient } from '../webhooks/webhook-client';
import { LiveCallRegistry } from './live-calls';
import type { ConferenceRooms } from '../conference/conference-rooms';

export interface TwimlEngineDeps {
  readonly core: TelephonyCore;
  readonly webhooks: WebhookClient;
  readonly clock: SandboxClock;
  readonly speech: SpeechSynthesizer;
  readonly audio: AudioFetcher;
  readonly recordings: RecordingStore;
  readonly log: SandboxLogger;
  /** Origin the sandbox is reached at (e.g. https://127.0.0.1:8443): prefix of every RecordingUrl. */
  readonly publicOrigin: string;
  /** When given, running calls are registered here so the REST API can redirect or end them. */
  readonly liveCalls?: LiveCallRegistry;
  /** The sandbox's conferences, for `<Dial><Conference>` (without it such a `<Dial>` is skipped with a logged error). */
  readonly conferences?: ConferenceRooms;
}

export interface TwimlStart {
  /** The voice URL (TwiML App, number, or REST `Url`). */
  readonly url: string;
  readonly method?: HttpMethod;
  /**
   * Sent with the first request only, beside the standard ones, which win on a clash (Twilio never
   * lets custom parameters replace its own): the invite's `twilio.params`, decoded. For SDK calls
   * the leg's `To` is already the custom `To`, as Twilio makes it.
   */
  readonly params?: Readonly<Record<string, string>>;
  /** Sent with every request of this call, e.g. `{ ApplicationSid }` for TwiML App calls. */
  readonly callParams?: Readonly<Record<string, string>>;
  /** Twilio's voice fallback URL: requested once, with ErrorCode and ErrorUrl, on a fatal error. */
  readonly fallbackUrl?: string;
  readonly fallbackMethod?: HttpMethod;
  /** Whether the leg is already answered (REST calls run their TwiML after answer). */
  readonly answered?: boolean;
}

export type TwimlRunOutcome =
  /** `<Hangup>` or the end of the document. */
  | 'hung-up'
  /** `<Reject>`. */
  | 'rejected'
  /** The caller (or the REST API) ended the call while TwiML ran. */
  | 'caller-hung-up'
  /** A fatal Twilio error ended the call; see `errorCode`. */
  | 'failed';

export interface TwimlRunResult {
  readonly outcome: TwimlRunOutcome;
  readonly errorCode?: number;
  /** Verbs executed, in order (for logs and tests). */
  readonly verbs: readonly string[];
}

export type { CallLegControl };
