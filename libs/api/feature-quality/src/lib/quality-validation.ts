import { badField } from '@switchboard/api-http-boundary';
import {
  FEEDBACK_ISSUES, IDENTITY_PATTERN, LINE_TEST_SCOPES, PREFLIGHT_CALL_QUALITIES, QUALITY_LIMITS, RECORDED_WARNING_NAMES, SETUP_STEPS, SID_PATTERNS,
  type CallMediaFacts, type FeedbackIssue, type FeedbackScore, type LineTestInput, type LineTestScope, type PreflightCallQuality, type QualityFigureSummary,
  type QualityRatingInput, type QualityRecordInput, type QualitySampleColumns, type RecordedWarning, type RecordedWarningName,
  type RegistrationSetupInput, type SetupEvent,
} from '@switchboard/shared-contracts';

/**
 * The boundary of the quality routes: each body is checked field by field and rebuilt from what was
 * checked (unknown fields are dropped), and the first problem is a 400 naming the field. Hand-written
 * rather than class-validator DTOs because a record carries up to 6 × 14 400 numbers: one pass over
 * plain arrays, no object per sample.
 */
type Json = Record<string, unknown>;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const SHORT_TEXT = 100;
/** Sample figures past these are not measurements: RTT and jitter over a minute, for instance. */
const MAX_MS = 60_000;

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badField(field, `${field} must be an object`);
  return value as Json;
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw badField(field, `${field} must be a string`);
  if (value.length > max) throw badField(field, `${field} must be at most ${max} characters`);
  return value;
}

function textOrNull(value: unknown, field: string, max: number): string | null {
  return value === null || value === undefined ? null : text(value, field, max);
}

function isoTime(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw badField(field, `${field} must be an ISO 8601 time with a zone, e.g. 2026-01-31T09:30:00.000Z`);
  }
  return value;
}

function isoTimeOrNull(value: unknown, field: string): string | null {
  return value === null ? null : isoTime(value, field);
}

function number(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw badField(field, `${field} must be a number between ${min} and ${max}`);
  }
  return value;
}

function numberOrNull(value: unknown, field: string, min: number, max: number): number | null {
  return value === null || value === undefined ? null : number(value, field, min, max);
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badField(field, `${field} must be a whole number between ${min} and ${max}`);
  }
  return value;
}

function array(value: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw badField(field, `${field} must be an array`);
  if (value.length > max) throw badField(field, `${field} must have at most ${max} entries`);
  return value;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw badField(field, `${field} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function boolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw badField(field, `${field} must be true or false`);
  return value;
}

export function callSidOf(value: unknown, field = 'callSid'): string {
  if (typeof value !== 'string' || !SID_PATTERNS.call.test(value)) throw badField(field, `${field} must be a CallSid (CA and 32 hex digits)`);
  return value;
}

/** `startedAt` and `endedAt`, the end not before the start. */
function timeSpan(body: Json): { startedAt: string; endedAt: string } {
  const startedAt = isoTime(body['startedAt'], 'startedAt');
  const endedAt = isoTime(body['endedAt'], 'endedAt');
  if (Date.parse(endedAt) < Date.parse(startedAt)) throw badField('endedAt', 'endedAt must not be before startedAt');
  return { startedAt, endedAt };
}

function column(value: unknown, field: string, count: number | null, min: number, max: number, nullable = false): Array<number | null> {
  const values = array(value, field, QUALITY_LIMITS.maxSamples);
  if (count !== null && values.length !== count) throw badField(field, `${field} must have as many entries as samples.rtt (${count})`);
  for (let i = 0; i < values.length; i++) {
    const entry = values[i];
    if (nullable && entry === null) continue;
    if (typeof entry !== 'number' || !Number.isFinite(entry) || entry < min || entry > max) {
      throw badField(field, `${field}[${i}] must be a number between ${min} and ${max}${nullable ? ' or null' : ''}`);
    }
  }
  return values as Array<number | null>;
}

export function parseSamples(value: unknown): QualitySampleColumns {
  const samples = object(value, 'samples');
  const rtt = column(samples['rtt'], 'samples.rtt', null, 0, MAX_MS) as number[];
  const count = rtt.length;
  return {
    firstSampleAt: number(samples['firstSampleAt'], 'samples.firstSampleAt', 0, 8.64e15),
    intervalMs: integer(samples['intervalMs'], 'samples.intervalMs', 100, 60_000),
    mos: column(samples['mos'], 'samples.mos', count, 1, 5, true),
    rtt,
    jitter: column(samples['jitter'], 'samples.jitter', count, 0, MAX_MS) as number[],
    packetLossPercent: column(samples['packetLossPercent'], 'samples.packetLossPercent', count, 0, 100) as number[],
    inputLevel: column(samples['inputLevel'], 'samples.inputLevel', count, 0, 1) as number[],
    outputLevel: column(samples['outputLevel'], 'samples.outputLevel', count, 0, 1) as number[],
  };
}

function parseWarnings(value: unknown): RecordedWarning[] {
  return array(value, 'warnings', QUALITY_LIMITS.maxWarnings).map((entry, i) => {
    const field = `warnings[${i}]`;
    const warning = object(entry, field);
    const startedAt = isoTime(warning['startedAt'], `${field}.startedAt`);
    const endedAt = isoTimeOrNull(warning['endedAt'] ?? null, `${field}.endedAt`);
    if (endedAt !== null && Date.parse(endedAt) < Date.parse(startedAt)) throw badField(`${field}.endedAt`, `${field}.endedAt must not be before its startedAt`);
    return { name: oneOf<RecordedWarningName>(warning['name'], `${field}.name`, RECORDED_WARNING_NAMES), startedAt, endedAt };
  });
}

function parseError(value: unknown, field: string): { code: number; message: string } | null {
  if (value === null || value === undefined) return null;
  const error = object(value, field);
  return { code: integer(error['code'], `${field}.code`, 0, 999_999), message: text(error['message'], `${field}.message`, QUALITY_LIMITS.maxLabelLength) };
}

export function parseSetup(value: unknown): SetupEvent[] {
  return array(value, 'setup', QUALITY_LIMITS.maxSetupEvents).map((entry, i) => {
    const field = `setup[${i}]`;
    const event = object(entry, field);
    return {
      step: oneOf(event['step'], `${field}.step`, SETUP_STEPS),
      at: isoTime(event['at'], `${field}.at`),
      durationMs: numberOrNull(event['durationMs'], `${field}.durationMs`, 0, 3_600_000),
      error: parseError(event['error'], `${field}.error`),
    };
  });
}

function parseMedia(value: unknown): CallMediaFacts {
  const media = object(value, 'media');
  const label = QUALITY_LIMITS.maxLabelLength;
  return {
    codec: textOrNull(media['codec'], 'media.codec', SHORT_TEXT),
    localCandidateType: textOrNull(media['localCandidateType'], 'media.localCandidateType', SHORT_TEXT),
    remoteCandidateType: textOrNull(media['remoteCandidateType'], 'media.remoteCandidateType', SHORT_TEXT),
    networkType: textOrNull(media['networkType'], 'media.networkType', SHORT_TEXT),
    edge: textOrNull(media['edge'], 'media.edge', SHORT_TEXT),
    dscp: boolean(media['dscp'], 'media.dscp'),
    sdkVersion: text(media['sdkVersion'], 'media.sdkVersion', SHORT_TEXT),
    inputDeviceLabel: textOrNull(media['inputDeviceLabel'], 'media.inputDeviceLabel', label),
    outputDeviceLabel: textOrNull(media['outputDeviceLabel'], 'media.outputDeviceLabel', label),
  };
}

export function parseQualityRecordInput(value: unknown): QualityRecordInput {
  const body = object(value, 'body');
  const callSid = callSidOf(body['callSid']);
  const direction = oneOf(body['direction'], 'direction', ['inbound', 'outbound'] as const);
  return {
    callSid, direction, ...timeSpan(body),
    samples: parseSamples(body['samples']),
    warnings: parseWarnings(body['warnings']),
    setup: parseSetup(body['setup']),
    media: parseMedia(body['media']),
  };
}

export function parseRatingInput(value: unknown): QualityRatingInput {
  const body = object(value, 'body');
  const score = integer(body['score'], 'score', 1, 5) as FeedbackScore;
  const issues = array(body['issues'], 'issues', FEEDBACK_ISSUES.length)
    .map((issue, i) => oneOf<FeedbackIssue>(issue, `issues[${i}]`, FEEDBACK_ISSUES));
  return { score, issues: [...new Set(issues)] };
}

export function parseRegistrationInput(value: unknown): RegistrationSetupInput {
  const body = object(value, 'body');
  return {
    setup: parseSetup(body['setup']),
    edge: textOrNull(body['edge'], 'edge', SHORT_TEXT),
    sdkVersion: text(body['sdkVersion'], 'sdkVersion', SHORT_TEXT),
  };
}

function figure(value: unknown, field: string, min: number, max: number): QualityFigureSummary {
  const summary = object(value, field);
  return {
    min: numberOrNull(summary['min'], `${field}.min`, min, max),
    avg: numberOrNull(summary['avg'], `${field}.avg`, min, max),
    max: numberOrNull(summary['max'], `${field}.max`, min, max),
  };
}

export function parseLineTestInput(value: unknown): LineTestInput {
  const body = object(value, 'body');
  const callSid = body['callSid'] === null || body['callSid'] === undefined ? null : callSidOf(body['callSid']);
  const span = timeSpan(body);
  const callQuality = body['callQuality'] === null || body['callQuality'] === undefined
    ? null : oneOf<PreflightCallQuality>(body['callQuality'], 'callQuality', PREFLIGHT_CALL_QUALITIES);
  const timing = object(body['timing'], 'timing');
  const ms = (name: string) => numberOrNull(timing[name], `timing.${name}`, 0, 3_600_000);
  return {
    callSid, ...span, callQuality,
    edge: textOrNull(body['edge'], 'edge', SHORT_TEXT),
    mos: figure(body['mos'], 'mos', 1, 5),
    rtt: figure(body['rtt'], 'rtt', 0, MAX_MS),
    jitter: figure(body['jitter'], 'jitter', 0, MAX_MS),
    packetLossPercent: numberOrNull(body['packetLossPercent'], 'packetLossPercent', 0, 100),
    timing: { signalingMs: ms('signalingMs'), iceMs: ms('iceMs'), dtlsMs: ms('dtlsMs'), peerConnectionMs: ms('peerConnectionMs') },
    warnings: array(body['warnings'] ?? [], 'warnings', 50).map((warning, i) => text(warning, `warnings[${i}]`, SHORT_TEXT)),
    error: parseError(body['error'], 'error'),
  };
}

export function identityQueryOf(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !IDENTITY_PATTERN.test(value)) throw badField('identity', 'identity must be an agent identity');
  return value;
}

/** `?scope=`: absent, or one of LINE_TEST_SCOPES; not together with `?identity=` (which one would be meant is unclear). */
export function lineTestScopeOf(value: unknown, identity: string | null): LineTestScope | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !(LINE_TEST_SCOPES as readonly string[]).includes(value)) throw badField('scope', `scope must be one of: ${LINE_TEST_SCOPES.join(', ')}`);
  if (identity !== null) throw badField('scope', 'scope cannot be combined with identity');
  return value as LineTestScope;
}
