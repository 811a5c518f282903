import type { CallDisposition, CallRingOutcome } from './floor';
import type { CallStatus } from './call-status';
import type { CallQualityBadge } from './quality';

/** Request and response bodies of the agent-facing API. Nest DTO classes `implements` these. */

export type AgentRole = 'agent' | 'supervisor';

export interface LoginRequest {
  readonly identity: string;
  readonly password: string;
}

/** The signed-in agent, as `GET /api/auth/me` returns it (and `POST /api/auth/login`, see LoginResponse). */
export interface AgentProfile {
  readonly identity: string;
  readonly displayName: string;
  readonly role: AgentRole;
}

/**
 * `POST /api/auth/login`'s answer: the profile, and the session's first voice token so the phone can
 * register without another round trip. Optional: an older API omits it, and the client then asks
 * `POST /api/voice/token` as before.
 */
export interface LoginResponse extends AgentProfile {
  readonly voiceToken?: VoiceTokenResponse;
}

/** An entry of the dialer's agent directory (`GET /api/agents`). */
export interface AgentDirectoryEntry {
  readonly identity: string;
  readonly displayName: string;
}

export interface VoiceTokenResponse {
  readonly token: string;
  readonly identity: string;
  /** ISO 8601 instant at which the token stops being accepted. */
  readonly expiresAt: string;
}

export type SwitchboardMode = 'sandbox' | 'twilio';

/** `GET /api/client-config`: public, read before sign-in. Never carries a secret. */
export interface ClientConfig {
  readonly mode: SwitchboardMode;
  /** Sandbox mode only: host[:port] of the voice sandbox's signaling (wss://<host>/signal). */
  readonly sandboxSignalingHost: string | null;
  /** Sandbox mode only: the https origin of the sandbox, to accept its certificate once. */
  readonly sandboxOrigin: string | null;
  /** Default edge(s), in fallback order; `roaming` lets Twilio pick. */
  readonly edge: readonly string[];
  readonly logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** How long before expiry the SDK warns (`tokenWillExpire`), in milliseconds. */
  readonly tokenRefreshMs: number;
  /** Issue 14: a line test older than this (hours) is offered before going online (LINE_TEST_MAX_AGE_HOURS). */
  readonly lineTestMaxAgeHours: number;
}

export type CallDirection = 'inbound' | 'outbound';

export interface CallRecord {
  readonly id: string;
  readonly callSid: string;
  readonly direction: CallDirection;
  readonly from: string;
  readonly to: string;
  readonly status: CallStatus;
  /** Seconds of conversation; null until the call ended. */
  readonly durationSeconds: number | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
  /**
   * What happened to the call on the way (issue 12): transfers and consults (with their outcome) and
   * rescues after an agent dropped out, oldest first. Empty for a call nobody moved. One call, one row:
   * these never show as calls of their own.
   */
  readonly handoffs: readonly CallHandoff[];
  /** Wrap-up dispositions given for this call (issue 13), one per agent who gave one, oldest first. */
  readonly dispositions: readonly CallDisposition[];
  /** Inbound calls: why each agent of the route was not rung or did not answer, and who answered (issue 13). */
  readonly ringOutcomes: readonly CallRingOutcome[];
  /** Issue 14: the badge of the viewer's own leg (a supervisor: the worst leg); null when no record arrived. */
  readonly quality: CallQualityBadge | null;
}

/** One transfer, consult or rescue of a call, as history shows it. */
export type CallHandoff =
  | {
      readonly kind: 'transfer' | 'consult';
      /** Who moved the call: an agent's directory name. */
      readonly byDisplay: string;
      readonly targetDisplay: string;
      /** transferred, returned, voicemail, completed, cancelled, three-way, or the miss reason. */
      readonly outcome: string;
      readonly at: string;
    }
  | {
      readonly kind: 'rescue';
      /** The agent whose leg dropped. */
      readonly byDisplay: string;
      /** rejoined, voicemail, or open (still waiting). */
      readonly outcome: 'rejoined' | 'voicemail' | 'open' | 'ended';
      readonly at: string;
    };

export interface Page<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

export interface Voicemail {
  readonly id: string;
  readonly recordingSid: string;
  readonly callSid: string;
  readonly from: string;
  /** The agent identity or ring group the caller tried to reach. */
  readonly calledTarget: string;
  readonly durationSeconds: number;
  readonly heard: boolean;
  readonly receivedAt: string;
}

export interface VoicemailList {
  readonly items: readonly Voicemail[];
  readonly unheard: number;
}

export interface MarkVoicemailRequest {
  readonly heard: boolean;
}

export interface RingAgentRequest {
  readonly identity: string;
  readonly reason?: string;
}

export interface RingAgentResponse {
  readonly callSid: string;
  readonly status: CallStatus;
}

export interface CheckNumberRequest {
  /** What the agent typed; international form (+ and country code). */
  readonly to: string;
}

/** Why the calling policy refuses a number (mirrors the policy's own reasons). */
export type NumberRefusalReason = 'unparseable' | 'country-not-allowed' | 'blocked-type' | 'blocked-prefix';

/** Why a toll-fraud cap refuses the agent's next phone call (the number itself may be fine). */
export type CallCapRefusalReason = 'active-call' | 'hourly-limit' | 'daily-limit';

export type CheckNumberResponse =
  | { readonly allowed: true; readonly e164: string }
  /** `message` is a plain sentence for the agent; it never repeats the number. */
  | { readonly allowed: false; readonly reason: NumberRefusalReason | CallCapRefusalReason; readonly message: string };

/** Every non-2xx JSON body. `field` names the offending input when there is one. */
export interface ApiErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly field?: string;
}
