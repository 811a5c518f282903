import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MICROPHONE_PERMISSION_TRANSITIONS, MICROPHONE_PERMISSIONS, canPlaceCalls } from './audio-permission-machine';
import { CALL_PHASES, CALL_TRANSITIONS, deriveCallOutcome, describeCallOutcome, isLiveCall, isValidDtmf } from './call-machine';
import {
  CONNECTION_PHASES,
  CONNECTION_TRANSITIONS,
  backoffDelayMs,
  shouldDeferTokenRefresh,
  tokenRefreshDelayMs,
  MIN_TOKEN_REFRESH_DELAY_MS,
} from './connection-machine';
import { reachableFrom } from './machine';
import { SDK_ERROR_CODES, SDK_ERROR_VOCABULARY, describeAppError, describeVoiceError, isTokenError } from './voice-errors';

describe('connection table', () => {
  it('names only known phases, and every phase can reach signed-out (sign-out always works)', () => {
    for (const phase of CONNECTION_PHASES) {
      for (const next of CONNECTION_TRANSITIONS[phase]) expect(CONNECTION_PHASES).toContain(next);
      expect(reachableFrom(CONNECTION_TRANSITIONS, phase).has('signed-out')).toBe(true);
    }
  });

  it('reaches registered only through registering or a self-healed unregistered', () => {
    const into = CONNECTION_PHASES.filter((p) => CONNECTION_TRANSITIONS[p].includes('registered'));
    expect(into.sort()).toEqual(['registering', 'unregistered']);
  });

  it('leaves standby (another tab has the phone) only by fetching a token or signing out; any signed-in phase can fall back to it', () => {
    expect(CONNECTION_TRANSITIONS.standby).toEqual(['fetching-token', 'signed-out']);
    const into = CONNECTION_PHASES.filter((p) => CONNECTION_TRANSITIONS[p].includes('standby'));
    expect(into.sort()).toEqual(CONNECTION_PHASES.filter((p) => p !== 'signed-out' && p !== 'standby').sort());
  });

  it('leaves error and destroyed only by fetching a token, registering or signing out', () => {
    expect(CONNECTION_TRANSITIONS.error).not.toContain('registered');
    expect(CONNECTION_TRANSITIONS.destroyed).not.toContain('registered');
  });
});

describe('backoffDelayMs', () => {
  const policy = { baseMs: 1000, maxMs: 8000, jitter: 0.5 };
  it('doubles per attempt and is capped', () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffDelayMs(a, policy, noJitter))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });
  it('jitter only shortens the delay, by at most the jitter fraction', () => {
    expect(backoffDelayMs(3, policy, () => 1)).toBe(2000);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(3000);
  });
  it('survives bad input', () => {
    expect(backoffDelayMs(0, policy, () => 0)).toBe(1000);
    expect(backoffDelayMs(Number.NaN, policy, () => 0)).toBe(1000);
  });
});

describe('tokenRefreshDelayMs', () => {
  const now = 1_000_000;
  it('refreshes a long-lived token the lead time before expiry', () => {
    expect(tokenRefreshDelayMs({ expiresAtMs: now + 3_600_000, nowMs: now, leadMs: 60_000 })).toBe(3_540_000);
  });
  it('refreshes a token shorter than twice the lead at mid-life, not at once', () => {
    expect(tokenRefreshDelayMs({ expiresAtMs: now + 60_000, nowMs: now, leadMs: 60_000 })).toBe(30_000);
    expect(tokenRefreshDelayMs({ expiresAtMs: now + 100_000, nowMs: now, leadMs: 60_000 })).toBe(50_000);
  });
  it('never schedules a loop: an expired or clock-skewed expiry waits the minimum delay', () => {
    expect(tokenRefreshDelayMs({ expiresAtMs: now - 120_000, nowMs: now, leadMs: 60_000 })).toBe(MIN_TOKEN_REFRESH_DELAY_MS);
    expect(tokenRefreshDelayMs({ expiresAtMs: now + 2_000, nowMs: now, leadMs: 60_000 })).toBe(MIN_TOKEN_REFRESH_DELAY_MS);
  });
});

describe('shouldDeferTokenRefresh', () => {
  const now = 1_000_000;
  it('defers during a call while expiry is far', () => {
    expect(shouldDeferTokenRefresh({ hasLiveCall: true, expiresAtMs: now + 120_000, nowMs: now, nearExpiryMs: 30_000 })).toBe(true);
  });
  it('does not defer when expiry is near, or without a call', () => {
    expect(shouldDeferTokenRefresh({ hasLiveCall: true, expiresAtMs: now + 20_000, nowMs: now, nearExpiryMs: 30_000 })).toBe(false);
    expect(shouldDeferTokenRefresh({ hasLiveCall: false, expiresAtMs: now + 120_000, nowMs: now, nearExpiryMs: 30_000 })).toBe(false);
  });
});

describe('call table', () => {
  it('never traps the agent: every live phase can reach closed, and closed is final', () => {
    for (const phase of CALL_PHASES.filter(isLiveCall)) expect(CALL_TRANSITIONS[phase]).toContain('closed');
    expect(CALL_TRANSITIONS.closed).toEqual([]);
  });
  it('an incoming call cannot be open without the agent accepting', () => {
    expect(CALL_TRANSITIONS.pending).not.toContain('open');
  });
});

describe('deriveCallOutcome', () => {
  const base = { direction: 'outgoing' as const, wasAnswered: false, lastErrorCode: null, endedByAgent: false };
  it.each([
    [31486, 'busy'],
    [31480, 'no-answer'],
    [31603, 'declined'],
    [31008, 'cancelled'],
  ])('error %i before the disconnect means %s', (code, kind) => {
    expect(deriveCallOutcome({ ...base, lastErrorCode: code }).kind).toBe(kind);
  });
  it('an answered call without error completed', () => {
    expect(deriveCallOutcome({ ...base, wasAnswered: true })).toEqual({ kind: 'completed' });
  });
  it('an unanswered outgoing call the agent ended was cancelled; ended by the far end, no answer', () => {
    expect(deriveCallOutcome({ ...base, endedByAgent: true }).kind).toBe('cancelled');
    expect(deriveCallOutcome(base).kind).toBe('no-answer');
  });
  it('any other error is a failure carrying the code and guidance', () => {
    const outcome = deriveCallOutcome({ ...base, wasAnswered: true, lastErrorCode: 53405 });
    expect(outcome).toMatchObject({ kind: 'failed', error: { code: 53405, category: 'media' } });
    expect(describeCallOutcome(outcome)).toContain('53405');
  });
});

describe('microphone permission table', () => {
  it('lets a denied microphone be granted later, without a reload', () => {
    expect(MICROPHONE_PERMISSION_TRANSITIONS.denied).toContain('granted');
    for (const p of MICROPHONE_PERMISSIONS) expect(MICROPHONE_PERMISSION_TRANSITIONS[p]).not.toContain('unknown');
  });
  it('only a granted microphone places calls', () => {
    expect(MICROPHONE_PERMISSIONS.filter(canPlaceCalls)).toEqual(['granted']);
  });
});

describe('error vocabulary', () => {
  it('covers every code the installed SDK can raise (errors/generated.js errorsByCode)', () => {
    const source = readFileSync(
      join(__dirname, '../../../../../node_modules/@twilio/voice-sdk/es5/twilio/errors/generated.js'),
      'utf8',
    );
    const table = source.slice(source.indexOf('var errorsByCode'));
    const sdkCodes = [...table.matchAll(/\[(\d{5}),/g)].map((m) => Number(m[1]));
    expect(sdkCodes.length).toBeGreaterThan(30);
    expect([...SDK_ERROR_CODES].sort()).toEqual([...new Set(sdkCodes)].sort());
  });

  it('gives every code a message and a next step', () => {
    for (const code of SDK_ERROR_CODES) {
      const info = describeVoiceError(code);
      expect(info.code).toBe(code);
      expect(info.message.length).toBeGreaterThan(10);
      expect(info.nextStep.length).toBeGreaterThan(10);
    }
  });

  it.each([20101, 20104, 31204, 31205])('%i means "fetch a fresh token"', (code) => {
    expect(isTokenError(describeVoiceError(code))).toBe(true);
  });

  it('maps the cases agents hit most to the right category', () => {
    expect(describeVoiceError(31401).category).toBe('microphone');
    expect(describeVoiceError(31005).category).toBe('signaling');
    expect(describeVoiceError(53405).category).toBe('media');
    expect(describeVoiceError(31486).category).toBe('call-not-answered');
    expect(describeAppError('MicrophoneDenied').nextStep).toBe(SDK_ERROR_VOCABULARY[31401].nextStep);
  });

  it('answers an unknown code honestly, with the SDK message trimmed', () => {
    const info = describeVoiceError(99999, '  weird  ');
    expect(info).toMatchObject({ code: 99999, category: 'unknown', name: 'UnrecognizedError' });
    expect(info.message).toContain('99999');
    expect(info.message).toContain('(weird)');
  });
});

describe('isValidDtmf', () => {
  it('accepts what sendDigits accepts and nothing else', () => {
    expect(isValidDtmf('0123456789*#w')).toBe(true);
    expect(isValidDtmf('')).toBe(false);
    expect(isValidDtmf('12a')).toBe(false);
  });
});
