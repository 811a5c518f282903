/**
 * Call quality you can look back on (issue 14): one record per call leg, sent by the softphone when the
 * call ends; line tests (the SDK's preflight); the supervisors' Insights report. The softphone sends raw
 * facts (samples, warnings, timings); the API derives every summary from them, so figures are computed
 * one way only and a client cannot send a flattering summary.
 */
import type { CallDirection } from './api-contracts';

/** Bands a call (or a line test) falls in; decided by the API from the samples (see QUALITY_BAND_RULES). */
export const QUALITY_BANDS = ['good', 'fair', 'poor'] as const;
export type QualityBand = (typeof QUALITY_BANDS)[number];

export const QUALITY_BAND_WORDS: Readonly<Record<QualityBand, string>> = {
  good: 'Good',
  fair: 'Fair',
  poor: 'Poor',
};

/**
 * How a call's band is decided: poor when its average MOS is under 3.5 or over 10 % of its samples lost
 * packets above 3 % or it raised a "poor" warning for 10 s or more; fair when its average MOS is under 4 or
 * it raised any warning; good otherwise. A call without a MOS sample (it never had media) is poor.
 */
export const QUALITY_BAND_RULES = { poorAvgMos: 3.5, fairAvgMos: 4, poorLossPercent: 3, poorLossShare: 0.1, poorWarningSeconds: 10 } as const;

/** The warning names the SDK raises (statsMonitor.js); mirrors QUALITY_WARNING_NAMES in shared-voice-model. */
export const RECORDED_WARNING_NAMES = [
  'high-rtt', 'low-mos', 'high-jitter', 'high-packet-loss', 'high-packets-lost-fraction', 'low-bytes-received',
  'low-bytes-sent', 'constant-audio-input-level', 'constant-audio-output-level', 'ice-connectivity-lost',
] as const;
export type RecordedWarningName = (typeof RECORDED_WARNING_NAMES)[number];

/** Twilio's feedback issue names (`Call.FeedbackIssue`), as `postFeedback` takes them. */
export const FEEDBACK_ISSUES = ['dropped-call', 'audio-latency', 'one-way-audio', 'choppy-audio', 'noisy-call', 'echo'] as const;
export type FeedbackIssue = (typeof FEEDBACK_ISSUES)[number];
export const FEEDBACK_ISSUE_WORDS: Readonly<Record<FeedbackIssue, string>> = {
  'dropped-call': 'Dropped call',
  'audio-latency': 'Delay',
  'one-way-audio': 'One-way audio',
  'choppy-audio': 'Choppy audio',
  'noisy-call': 'Noise',
  echo: 'Echo',
};
/** `Call.FeedbackScore`: 1 (imperfect) to 5 (perfect). */
export type FeedbackScore = 1 | 2 | 3 | 4 | 5;

/**
 * The SDK's 1 s samples, column by column (one array per figure, index i = second i of the call): about a
 * tenth of the size of an array of objects, and what the API stores as is (one row per leg, not per second).
 * Every array has the same length, at most QUALITY_LIMITS.maxSamples.
 */
export interface QualitySampleColumns {
  /** Epoch ms of the first sample; sample i was taken at firstSampleAt + i * intervalMs. */
  readonly firstSampleAt: number;
  readonly intervalMs: number;
  /** 1–4.5; null while the SDK could not compute one. */
  readonly mos: ReadonlyArray<number | null>;
  /** Round-trip time, ms. */
  readonly rtt: readonly number[];
  /** Jitter, ms. */
  readonly jitter: readonly number[];
  /** Packets lost in the sample, percent 0–100. */
  readonly packetLossPercent: readonly number[];
  /** Microphone level 0–1 (the SDK's `volume` input, averaged over the second). */
  readonly inputLevel: readonly number[];
  /** Speaker level 0–1. */
  readonly outputLevel: readonly number[];
}

export interface RecordedWarning {
  readonly name: RecordedWarningName;
  /** ISO times; endedAt null when it was still raised at hang-up. */
  readonly startedAt: string;
  readonly endedAt: string | null;
}

/** The steps of setting up a call or a registration, and how long each took. */
export const SETUP_STEPS = ['token', 'registration', 'invite-to-ringing', 'answer-to-media'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];
export const SETUP_STEP_WORDS: Readonly<Record<SetupStep, string>> = {
  token: 'Token',
  registration: 'Registration',
  'invite-to-ringing': 'Invite to ringing',
  'answer-to-media': 'Answer to audio',
};

export interface SetupEvent {
  readonly step: SetupStep;
  /** ISO time the step started. */
  readonly at: string;
  /** How long it took; null when it failed or never finished. */
  readonly durationMs: number | null;
  /** Set when the step failed: the SDK's (or HTTP) error code and message. */
  readonly error: { readonly code: number; readonly message: string } | null;
}

/** What the softphone knows of the call's media path (from the SDK's stats and the peer connection). */
export interface CallMediaFacts {
  /** e.g. `opus`, `pcmu`. */
  readonly codec: string | null;
  /** ICE candidate types of the selected pair: host, srflx, prflx, relay. */
  readonly localCandidateType: string | null;
  readonly remoteCandidateType: string | null;
  /** The selected local candidate's network type: wifi, ethernet, cellular, vpn, unknown… */
  readonly networkType: string | null;
  /** The edge the Device connected to (`device.edge`). */
  readonly edge: string | null;
  /** Whether DSCP marking was asked for (the Device option `dscp`). */
  readonly dscp: boolean;
  /** The SDK's version (`Device.version`). */
  readonly sdkVersion: string;
  /** Chosen devices' labels, never their ids (ids are per-origin fingerprints). */
  readonly inputDeviceLabel: string | null;
  readonly outputDeviceLabel: string | null;
}

/**
 * POST API_ROUTES.quality.records: one call leg's record, sent once when the call ends (with `fetch`
 * keepalive, or `sendBeacon` when the page is closing; kept in localStorage and sent again if neither got
 * through). The identity is the session's; browser, version and OS come from the request's User-Agent.
 * Sending the same leg again is answered 200 with the stored record's id, and changes nothing.
 */
export interface QualityRecordInput {
  /** The agent's own leg, as the SDK knows it (`call.parameters.CallSid`). */
  readonly callSid: string;
  readonly direction: CallDirection;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly samples: QualitySampleColumns;
  readonly warnings: readonly RecordedWarning[];
  readonly setup: readonly SetupEvent[];
  readonly media: CallMediaFacts;
}

export interface QualityRecordCreated {
  readonly id: string;
  /** false when this leg's record was already stored (a retry): nothing changed. */
  readonly created: boolean;
}

/** PUT API_ROUTES.quality.rating(callSid): the agent's own answer to "How was the call?". */
export interface QualityRatingInput {
  readonly score: FeedbackScore;
  /** Twilio's issue names; empty for a good call. */
  readonly issues: readonly FeedbackIssue[];
}

export interface QualityFigureSummary {
  readonly min: number | null;
  readonly avg: number | null;
  readonly max: number | null;
}

/** Derived by the API from the samples. */
export interface QualitySummary {
  readonly band: QualityBand;
  readonly sampleCount: number;
  readonly mos: QualityFigureSummary;
  readonly rtt: QualityFigureSummary;
  readonly jitter: QualityFigureSummary;
  readonly packetLossPercent: QualityFigureSummary;
  /** Seconds spent past each threshold (SDK thresholds: MOS < 3.5, RTT > 400 ms, jitter > 30 ms, loss > 1 %). */
  readonly secondsPast: { readonly mos: number; readonly rtt: number; readonly jitter: number; readonly packetLoss: number };
  readonly warningNames: readonly RecordedWarningName[];
}

/** From the User-Agent of the request that stored the record (never from the body). */
export interface ClientPlatform {
  readonly browser: string | null;
  readonly browserVersion: string | null;
  readonly os: string | null;
}

/**
 * Twilio's own view of the leg (Voice Insights Call Summary, `GET /v1/Voice/{CallSid}/Summary`), the fields
 * Switchboard shows, renamed to camelCase. The sandbox serves the same endpoint from its side of the leg.
 */
export interface TwilioCallSummary {
  /** e.g. high_jitter, high_packet_loss, silence, high_latency. */
  readonly tags: readonly string[];
  /** caller, callee, or null when Twilio did not say. */
  readonly whoHungUp: string | null;
  /** Post-dial delay, ms. */
  readonly postDialDelayMs: number | null;
  readonly callState: string | null;
  /** partial or complete: Twilio fills the summary in over minutes. */
  readonly processingState: string | null;
}

/** GET API_ROUTES.quality.forCall(id): the records of one history call the viewer may see. */
export interface QualityRecord {
  readonly id: string;
  readonly callSid: string;
  /** The history call (CallRecord.id) this leg belongs to, when it is known. */
  readonly callId: string | null;
  readonly identity: string;
  readonly direction: CallDirection;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly summary: QualitySummary;
  readonly samples: QualitySampleColumns;
  readonly warnings: readonly RecordedWarning[];
  readonly setup: readonly SetupEvent[];
  readonly media: CallMediaFacts;
  readonly platform: ClientPlatform;
  readonly rating: (QualityRatingInput & { readonly at: string }) | null;
  readonly twilioSummary: TwilioCallSummary | null;
}

export interface QualityRecordsResponse {
  readonly records: readonly QualityRecord[];
}

/** What history's list shows per call: the badge (the viewer's own leg, or the worst leg for a supervisor). */
export interface CallQualityBadge {
  readonly band: QualityBand;
  readonly avgMos: number | null;
  readonly warningCount: number;
}

/** POST API_ROUTES.quality.registrations: how a registration went (token, registration), sent after each. */
export interface RegistrationSetupInput {
  readonly setup: readonly SetupEvent[];
  readonly edge: string | null;
  readonly sdkVersion: string;
}

/** The SDK's preflight verdict (`PreflightTest.CallQuality`). */
export const PREFLIGHT_CALL_QUALITIES = ['excellent', 'great', 'good', 'fair', 'degraded'] as const;
export type PreflightCallQuality = (typeof PREFLIGHT_CALL_QUALITIES)[number];

/** What the agent is told: three words, each with what to do. */
export const LINE_TEST_VERDICTS = ['excellent', 'good', 'poor'] as const;
export type LineTestVerdict = (typeof LINE_TEST_VERDICTS)[number];
export const LINE_TEST_VERDICT_TEXT: Readonly<Record<LineTestVerdict, { readonly title: string; readonly advice: string }>> = {
  excellent: { title: 'Excellent', advice: 'Your line is ready for calls.' },
  good: { title: 'Good', advice: 'Calls will work. If callers say you break up, use a wired connection or move closer to the Wi-Fi router.' },
  poor: { title: 'Poor', advice: 'Callers will hear you badly. Use a wired connection, pause uploads and video, turn off a VPN, then test again.' },
};
/** excellent and great → excellent; good → good; fair, degraded or a failed test → poor. */
export function lineTestVerdictOf(callQuality: PreflightCallQuality | null): LineTestVerdict {
  if (callQuality === 'excellent' || callQuality === 'great') return 'excellent';
  if (callQuality === 'good') return 'good';
  return 'poor';
}

/** POST API_ROUTES.quality.lineTests: one line test's result, from the SDK's PreflightTest.Report (or its failure). */
export interface LineTestInput {
  /** The test call's CallSid; null when it failed before one existed. */
  readonly callSid: string | null;
  readonly startedAt: string;
  readonly endedAt: string;
  /** null when the test failed. */
  readonly callQuality: PreflightCallQuality | null;
  readonly edge: string | null;
  readonly mos: QualityFigureSummary;
  readonly rtt: QualityFigureSummary;
  readonly jitter: QualityFigureSummary;
  /** Percent of packets lost over the test. */
  readonly packetLossPercent: number | null;
  /** networkTiming durations, ms: signaling, ICE, DTLS, peer connection. */
  readonly timing: { readonly signalingMs: number | null; readonly iceMs: number | null; readonly dtlsMs: number | null; readonly peerConnectionMs: number | null };
  readonly warnings: readonly string[];
  readonly error: { readonly code: number; readonly message: string } | null;
}

export interface LineTest extends LineTestInput {
  readonly id: string;
  readonly identity: string;
  readonly verdict: LineTestVerdict;
  readonly platform: ClientPlatform;
}

/** `GET API_ROUTES.quality.lineTests?scope=team` (supervisors only): each agent's newest test, one per agent, by identity. */
export const LINE_TEST_SCOPES = ['team'] as const;
export type LineTestScope = (typeof LINE_TEST_SCOPES)[number];

/** GET API_ROUTES.quality.lineTests (`?identity=` for a supervisor): newest first; with `?scope=team`, see LINE_TEST_SCOPES. */
export interface LineTestsResponse {
  readonly lineTests: readonly LineTest[];
}

/** Insights filters (query string of API_ROUTES.insights.report and .csv); every one optional. */
export interface InsightsQuery {
  /** ISO dates (YYYY-MM-DD), inclusive, in FLOOR_TIME_ZONE; default the last 7 days. At most 366 days. */
  readonly from?: string;
  readonly to?: string;
  readonly agent?: string;
  readonly direction?: CallDirection;
  readonly band?: QualityBand;
}

export const INSIGHTS_DIMENSIONS = ['browser', 'os', 'sdkVersion', 'edge', 'networkType', 'inputDevice', 'agent', 'direction'] as const;
export type InsightsDimension = (typeof INSIGHTS_DIMENSIONS)[number];
export const INSIGHTS_DIMENSION_WORDS: Readonly<Record<InsightsDimension, string>> = {
  browser: 'Browser and version',
  os: 'Operating system',
  sdkVersion: 'SDK version',
  edge: 'Edge',
  networkType: 'Network type',
  inputDevice: 'Microphone',
  agent: 'Agent',
  direction: 'Direction',
};

export interface InsightsBandCounts {
  readonly good: number;
  readonly fair: number;
  readonly poor: number;
}

export interface InsightsBreakdownRow extends InsightsBandCounts {
  /** The dimension's value, e.g. "Chrome 131"; "Unknown" when it was not recorded. */
  readonly key: string;
  readonly calls: number;
  readonly avgMos: number | null;
}

/** GET API_ROUTES.insights.report (supervisors only). */
export interface InsightsReport {
  readonly from: string;
  readonly to: string;
  readonly totals: InsightsBandCounts & { readonly calls: number; readonly avgMos: number | null; readonly rated: number; readonly avgRating: number | null };
  /** One entry per day of the range (days without calls included, all zero). */
  readonly overTime: ReadonlyArray<InsightsBandCounts & { readonly day: string }>;
  /** Rows sorted by calls, most first; at most 20 per dimension (the rest summed as "Other"). */
  readonly breakdowns: Readonly<Record<InsightsDimension, readonly InsightsBreakdownRow[]>>;
  /** Warnings by how many calls raised them, most first. */
  readonly topWarnings: ReadonlyArray<{ readonly name: RecordedWarningName; readonly calls: number }>;
  /** Failed set-up steps (calls and registrations) by step and code, most first. */
  readonly setupFailures: ReadonlyArray<{ readonly step: SetupStep; readonly code: number; readonly count: number }>;
}

/** Bounds the API enforces (400 naming the field beyond them). */
export const QUALITY_LIMITS = {
  /** Four hours of 1 s samples. */
  maxSamples: 4 * 3600,
  maxWarnings: 500,
  maxSetupEvents: 20,
  maxLabelLength: 200,
} as const;
