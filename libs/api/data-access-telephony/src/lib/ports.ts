import type { Readable } from 'node:stream';

/** Signs Voice access tokens for an agent identity. */
export abstract class VoiceTokenIssuer {
  abstract issue(identity: string): { token: string; expiresAt: Date };
}

/**
 * Checks X-Twilio-Signature, made with `authToken`, over the public URL and the form parameters exactly
 * as received. Which tokens to try is the guard's policy (the secondary one while rotating).
 */
export abstract class WebhookSignatureVerifier {
  abstract isValid(authToken: string, signature: string, url: string, params: Readonly<Record<string, string | string[]>>): boolean;
}

/** What a TwiML webhook decided; the renderer turns it into a TwiML document. */
export type TwimlPlan =
  | {
      readonly kind: 'dial-clients';
      readonly identities: readonly string[];
      readonly timeoutSeconds: number;
      readonly actionUrl: string;
      readonly answerOnBridge: boolean;
      readonly callerId?: string;
      readonly greeting?: string;
    }
  | {
      readonly kind: 'dial-number';
      readonly number: string;
      readonly callerId: string;
      readonly timeoutSeconds: number;
      /** `<Dial timeLimit>`: the call is ended after this long (toll-fraud cap; Twilio's default is 4 h). */
      readonly timeLimitSeconds: number;
      readonly actionUrl: string;
      readonly statusCallbackUrl: string;
    }
  | {
      readonly kind: 'voicemail';
      readonly greeting: string;
      readonly maxLengthSeconds: number;
      readonly actionUrl: string;
      readonly recordingStatusCallbackUrl: string;
    }
  /**
   * `<Dial action><Conference>`: the caller joins a named conference (an inbound customer anchored there
   * while the API rings the agents into it over REST; an agent whose phone call the API dials into it).
   */
  | {
      readonly kind: 'dial-conference';
      readonly conferenceName: string;
      readonly participantLabel: string;
      readonly startConferenceOnEnter: boolean;
      readonly endConferenceOnExit: boolean;
      readonly beep: boolean;
      /** What the caller hears until the conference starts (fetched with GET); omitted: the provider's default music. */
      readonly waitUrl?: string;
      /** How waitUrl is fetched: GET (the default) for audio or a music document; POST for a signed webhook of the API's (the queue's). */
      readonly waitMethod?: 'GET' | 'POST';
      /** `<Dial timeLimit>`: the caller is taken out after this long (an agent's phone call: the toll-fraud cap). */
      readonly timeLimitSeconds?: number;
      /** `<Conference muted>`: hears everyone, heard by nobody (a supervisor listening). */
      readonly muted?: boolean;
      /** `<Conference coach>`: heard only by this call (a supervisor whispering to the agent's leg). */
      readonly coachCallSid?: string;
      readonly actionUrl: string;
      readonly statusCallbackUrl: string;
      readonly statusCallbackEvents: readonly ('start' | 'end' | 'join' | 'leave' | 'mute' | 'hold' | 'modify' | 'speaker' | 'announcement')[];
    }
  /** A spoken reason, then hang up. Used for every refusal: never a <Dial>. */
  | { readonly kind: 'say-and-hang-up'; readonly message: string }
  | { readonly kind: 'hang-up' }
  /**
   * Issue 14's line test (the SDK's preflight call): a spoken sentence, a silence of `pauseSeconds` the
   * SDK measures over, then the call ends. Never a <Dial>, never a history row.
   */
  | { readonly kind: 'line-test'; readonly message: string; readonly pauseSeconds: number }
  /** `<Reject>`: end a call that was never answered; the caller's SDK reports why (declined / busy). */
  | { readonly kind: 'reject'; readonly reason: 'rejected' | 'busy' };

export abstract class TwimlRenderer {
  abstract render(plan: TwimlPlan): string;
}

export interface RingAgentCall {
  readonly to: string;
  readonly from: string;
  readonly url: string;
  readonly timeoutSeconds: number;
  readonly statusCallbackUrl: string;
}

/** Starts calls through the telephony REST API (Twilio's, or the sandbox's). */
export abstract class AgentDialer {
  abstract ring(call: RingAgentCall): Promise<{ callSid: string; status: string }>;
}

export interface RecordingAudio {
  readonly contentType: string;
  readonly contentLength: number | null;
  readonly body: Readable;
}

/** Fetches a recording's audio with the account's credentials. */
export abstract class RecordingFetcher {
  /** True if the URL points at the configured REST origin (so fetching it cannot be turned into SSRF). */
  abstract isTrustedUrl(url: string): boolean;
  abstract fetch(url: string): Promise<RecordingAudio>;
}

/** A call as the provider's REST API reports it (`Calls/{sid}`). */
export interface ProviderCall {
  readonly callSid: string;
  readonly status: string;
  readonly durationSeconds: number | null;
  readonly endedAt: Date | null;
}

/** Reads a call from the telephony REST API: the reconciler's source of truth for a lost status callback. */
export abstract class CallFetcher {
  /** Null when the provider has no such call (404); throws TelephonyError when it could not answer. */
  abstract fetch(callSid: string): Promise<ProviderCall | null>;
}

/** Raised by adapters when the telephony provider refused or failed; carries no secret. */
export class TelephonyError extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
    this.name = 'TelephonyError';
  }
}
