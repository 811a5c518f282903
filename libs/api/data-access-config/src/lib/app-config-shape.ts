import type { ClientConfig, SwitchboardMode } from '@switchboard/shared-contracts';
import type { NumberPolicy } from '@switchboard/shared-util-phone';
import type { AvailabilityConfig } from './availability-config';
import type { BrowserBoundaryConfig, HttpServerConfig } from './boundary-config';
import type { CustomerCallAnchor } from './call-control-config';
import type { FloorConfig } from './floor-config';
import type { QualityConfig } from './quality-config';
import type { RedisConfig } from './redis-config';

/** The API's configuration after validation: typed, complete, frozen. Built once at start-up. */
export interface AppConfig {
  readonly mode: SwitchboardMode;
  readonly port: number;
  /** The origin Twilio (or the sandbox) calls and signs; webhook URLs are built on it. No trailing slash. */
  readonly publicBaseUrl: string;
  /** Bind address, body limit and timeouts of the HTTP server. */
  readonly http: HttpServerConfig;
  /** Security headers and the cross-site checks of /api. */
  readonly browser: BrowserBoundaryConfig;
  readonly database: { readonly url: string | null; readonly dataDir: string };
  /** Directory of the built softphone to serve under `/`; null to serve nothing. */
  readonly staticDir: string | null;
  readonly logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  readonly twilio: {
    readonly accountSid: string;
    readonly authToken: string;
    /**
     * While the auth token is being rotated (reliability W14): the other token, whose signatures are
     * accepted too. Null when not rotating; unset it once Twilio signs with the new primary only.
     */
    readonly authTokenSecondary: string | null;
    readonly apiKeySid: string;
    readonly apiKeySecret: string;
    readonly twimlAppSid: string;
    readonly callerId: string;
    /** REST base URL (Twilio's, or the sandbox's in sandbox mode). No trailing slash. */
    readonly apiBaseUrl: string;
    /**
     * True only in sandbox mode: the sandbox's certificate is self-signed, so the REST client accepts
     * it for `apiBaseUrl` (and only there). Never true in twilio mode.
     */
    readonly acceptSelfSignedTls: boolean;
  };
  readonly voiceToken: {
    readonly ttlSeconds: number;
    /** Per-agent sliding window: at most `max` tokens per `windowSeconds`. */
    readonly rateLimitMax: number;
    readonly rateLimitWindowSeconds: number;
  };
  /** Which numbers outgoing PSTN calls may reach (countries, blocked types and prefixes). */
  readonly numberPolicy: NumberPolicy;
  readonly calls: {
    readonly dialTimeoutSeconds: number;
    readonly voicemailMaxLengthSeconds: number;
    /** HOLD_MUSIC_URL: what a held customer hears; null: the provider's own hold music (the sandbox's built-in loop). */
    readonly holdMusicUrl: string | null;
    /** CUSTOMER_CALL_ANCHOR: `direct` bridges an inbound caller to the agent who answers; `conference` anchors them in a conference. */
    readonly customerCallAnchor: CustomerCallAnchor;
    /**
     * RESCUE_WINDOW_SECONDS: how long a customer whose agent dropped out (reload, crash) waits on hold for
     * that agent to rejoin before going to voicemail (conference-anchored calls only).
     */
    readonly rescueWindowSeconds: number;
  };
  /** How the API rides out a slow or failing database and lost callbacks. */
  readonly resilience: {
    /** A TwiML webhook answers safe TwiML after this long, well inside Twilio's 15 s limit. */
    readonly twimlDeadlineMs: number;
    /** How often pending callbacks are processed again and stale calls reconciled; 0 turns both off. */
    readonly reconcileIntervalSeconds: number;
    /** A call not terminal this long after it started is fetched from the REST API. */
    readonly reconcileAfterSeconds: number;
  };
  /** Toll-fraud caps on outgoing calls to phone numbers (agent-to-agent calls are not capped). */
  readonly outboundLimits: {
    /** `<Dial timeLimit>`: the longest a phone call may last (Twilio's own default is 4 h). */
    readonly callTimeLimitSeconds: number;
    /** Phone calls one agent may have in progress at once. */
    readonly activeCallsPerAgent: number;
    /** Phone calls one agent may start in any 60 minutes. */
    readonly callsPerAgentPerHour: number;
    /** Phone calls all agents together may start in any 24 hours. */
    readonly callsPerDay: number;
  };
  /** What is deleted when; 0 days keeps forever. */
  readonly retention: {
    /**
     * How often expired sessions, old call-event payloads, old voicemails, old outbound-call refusals and
     * sign-in failures past the limiter's window are purged; 0 turns it off.
     */
    readonly sweepIntervalSeconds: number;
    readonly callEventPayloadDays: number;
    readonly voicemailDays: number;
    /** Days a refused outbound call stays in the toll-fraud audit (outbound_call_refusals). */
    readonly outboundRefusalDays: number;
  };
  readonly sessions: {
    readonly ttlSeconds: number;
    readonly secureCookie: boolean;
    /** `__Host-sb_session` on https: the browser then keeps it to this exact origin, so no sibling subdomain can plant one. */
    readonly cookieName: string;
  };
  /** Failed sign-ins allowed per identity and per source address in a sliding window, counted in the database. */
  readonly signInLimits: {
    readonly maxFailuresPerIdentity: number;
    readonly maxFailuresPerSource: number;
    readonly windowSeconds: number;
  };
  /**
   * Proxies (addresses, CIDR ranges, or `loopback` / `linklocal` / `uniquelocal`) whose X-Forwarded-For
   * names the client. Empty: the socket's peer is the source, and X-Forwarded-For is ignored.
   */
  readonly trustedProxies: readonly string[];
  /** The real-time channel to the softphone (`GET /api/events`, Server-Sent Events). */
  readonly liveEvents: {
    /**
     * A `: ping` comment goes down every open stream this often, so proxies and the socket timeout keep
     * it open. Default 15 s, or half of HTTP_CONNECTION_TIMEOUT_MS when that is shorter.
     */
    readonly heartbeatSeconds: number;
  };
  /** REDIS_URL, REDIS_KEY_PREFIX: null runs one instance's in-process bus; set, instances share live events over Redis. */
  readonly redis: RedisConfig | null;
  /** AWAY_REASONS, DISPOSITION_CODES, WRAP_UP_SECONDS: agent availability and after-call work. */
  readonly availability: AvailabilityConfig;
  /** PRESENCE_TIMEOUT_SECONDS, ROUTE_ONLY_AVAILABLE, LONGEST_IDLE_RING_SECONDS, QUEUE_MAX_WAIT_SECONDS, FLOOR_TIME_ZONE. */
  readonly floor: FloorConfig;
  /** QUALITY_RETENTION_DAYS, LINE_TEST_MAX_AGE_HOURS (issue 14). */
  readonly quality: QualityConfig;
  /** Sandbox mode only: password of the seeded demo agents. */
  readonly demoPassword: string | null;
  readonly client: ClientConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}
