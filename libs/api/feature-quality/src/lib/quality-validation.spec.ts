import { HttpException } from '@nestjs/common';
import { FieldException } from '@switchboard/api-http-boundary';
import { QUALITY_LIMITS } from '@switchboard/shared-contracts';
import { QUALITY_RECORD_BODY_LIMIT_BYTES, isBeaconText } from './beacon-body';
import { lineTestScopeOf, parseLineTestInput, parseQualityRecordInput, parseRatingInput, parseRegistrationInput } from './quality-validation';

const SID = `CA${'0123456789abcdef'.repeat(2)}`;

function record(): Record<string, unknown> {
  return {
    callSid: SID, direction: 'outbound', startedAt: '2026-12-06T10:00:00.000Z', endedAt: '2026-12-06T10:00:03.000Z',
    samples: { firstSampleAt: 1_796_000_000_000, intervalMs: 1000, mos: [null, 4.4, 4.3], rtt: [40, 41, 42], jitter: [1, 2, 3], packetLossPercent: [0, 0, 1], inputLevel: [0.1, 0.2, 0.3], outputLevel: [0.3, 0.2, 0.1] },
    warnings: [{ name: 'high-jitter', startedAt: '2026-12-06T10:00:01.000Z', endedAt: null }],
    setup: [{ step: 'invite-to-ringing', at: '2026-12-06T09:59:58.000Z', durationMs: 850, error: null }],
    media: { codec: 'opus', localCandidateType: 'host', remoteCandidateType: 'relay', networkType: 'wifi', edge: 'ashburn', dscp: true, sdkVersion: '2.18.5', inputDeviceLabel: 'Headset', outputDeviceLabel: null },
  };
}

/** `record()` with the value at `path` (dot/bracket path) replaced. */
function withValue(path: string, value: unknown): Record<string, unknown> {
  const body = record();
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let target = body as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys[keys.length - 1]] = value;
  return body;
}

function fieldOf(run: () => unknown): { status: number; field: string | undefined; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FieldException);
    return { status: (error as HttpException).getStatus(), field: (error as FieldException).field, message: (error as Error).message };
  }
  throw new Error('no error');
}

describe('parseQualityRecordInput', () => {
  it('accepts a well-formed record and drops unknown fields', () => {
    const parsed = parseQualityRecordInput({ ...record(), summary: { band: 'good' } });
    expect(parsed).toEqual(record());
  });

  it.each([
    ['callSid', 'CA123', 'callSid'],
    ['callSid', `CA${'G'.repeat(32)}`, 'callSid'],
    ['direction', 'sideways', 'direction'],
    ['startedAt', 'yesterday', 'startedAt'],
    ['endedAt', '2026-12-06T09:00:00.000Z', 'endedAt'],
    ['endedAt', '2026-12-06T10:00:03', 'endedAt'],
    ['samples', [], 'samples'],
    ['samples.intervalMs', 0, 'samples.intervalMs'],
    ['samples.rtt', 'fast', 'samples.rtt'],
    ['samples.rtt[1]', -1, 'samples.rtt'],
    ['samples.jitter', [1, 2], 'samples.jitter'],
    ['samples.mos[1]', 5.5, 'samples.mos'],
    ['samples.mos[2]', 0.5, 'samples.mos'],
    ['samples.packetLossPercent[0]', 101, 'samples.packetLossPercent'],
    ['samples.inputLevel[0]', 1.5, 'samples.inputLevel'],
    ['samples.outputLevel[0]', null, 'samples.outputLevel'],
    ['samples.rtt[0]', '40', 'samples.rtt'],
    ['warnings[0].name', 'bad-vibes', 'warnings[0].name'],
    ['warnings[0].endedAt', '2026-12-06T10:00:00.000Z', 'warnings[0].endedAt'],
    ['warnings', {}, 'warnings'],
    ['setup[0].step', 'dial-tone', 'setup[0].step'],
    ['setup[0].durationMs', -5, 'setup[0].durationMs'],
    ['setup[0].error', { code: 'x', message: 'no' }, 'setup[0].error.code'],
    ['media', null, 'media'],
    ['media.dscp', 'yes', 'media.dscp'],
    ['media.sdkVersion', null, 'media.sdkVersion'],
    ['media.inputDeviceLabel', 'x'.repeat(QUALITY_LIMITS.maxLabelLength + 1), 'media.inputDeviceLabel'],
  ])('refuses %s = %j with a 400 naming %s', (path, value, field) => {
    expect(fieldOf(() => parseQualityRecordInput(withValue(path, value)))).toMatchObject({ status: 400, field });
  });

  it('refuses a non-finite number (NaN or Infinity cannot come from JSON, but a parsed body is checked anyway)', () => {
    expect(fieldOf(() => parseQualityRecordInput(withValue('samples.jitter[0]', Number.POSITIVE_INFINITY)))).toMatchObject({ field: 'samples.jitter' });
    expect(fieldOf(() => parseQualityRecordInput(withValue('samples.mos[1]', Number.NaN)))).toMatchObject({ field: 'samples.mos' });
  });

  it('refuses more samples, warnings or set-up events than QUALITY_LIMITS allows', () => {
    const long = (n: number) => new Array<number>(n).fill(0);
    expect(fieldOf(() => parseQualityRecordInput(withValue('samples.rtt', long(QUALITY_LIMITS.maxSamples + 1))))).toMatchObject({ field: 'samples.rtt' });
    const many = new Array(QUALITY_LIMITS.maxWarnings + 1).fill({ name: 'high-rtt', startedAt: '2026-12-06T10:00:01.000Z', endedAt: null });
    expect(fieldOf(() => parseQualityRecordInput(withValue('warnings', many)))).toMatchObject({ field: 'warnings' });
    const steps = new Array(QUALITY_LIMITS.maxSetupEvents + 1).fill({ step: 'token', at: '2026-12-06T10:00:01.000Z', durationMs: 1, error: null });
    expect(fieldOf(() => parseQualityRecordInput(withValue('setup', steps)))).toMatchObject({ field: 'setup' });
  });

  it('fits 4 h of samples at full precision, the most warnings and set-up events and the longest labels, in the route\'s body limit', () => {
    const n = QUALITY_LIMITS.maxSamples;
    const column = (scale: number) => Array.from({ length: n }, (_, i) => ((i * 7919) % 10007) / 10007 * scale + 1e-9 * (i % 97));
    const body = {
      ...record(),
      samples: { firstSampleAt: 1_796_000_000_123.25, intervalMs: 1000, mos: column(3.999).map((v) => 1 + v), rtt: column(59_999), jitter: column(59_999), packetLossPercent: column(99.9), inputLevel: column(0.999), outputLevel: column(0.999) },
      warnings: new Array(QUALITY_LIMITS.maxWarnings).fill({ name: 'high-packets-lost-fraction', startedAt: '2026-12-06T10:00:01.123Z', endedAt: '2026-12-06T10:00:02.123Z' }),
      setup: new Array(QUALITY_LIMITS.maxSetupEvents).fill({ step: 'invite-to-ringing', at: '2026-12-06T09:59:58.000Z', durationMs: 123_456.789_123, error: { code: 31_000, message: 'x'.repeat(200) } }),
      media: { ...(record()['media'] as object), inputDeviceLabel: 'x'.repeat(200), outputDeviceLabel: 'y'.repeat(200) },
    };
    expect(() => parseQualityRecordInput(body)).not.toThrow();
    const size = Buffer.byteLength(JSON.stringify(body));
    expect(size).toBeGreaterThan(1_000_000);
    expect(size).toBeLessThan(QUALITY_RECORD_BODY_LIMIT_BYTES);
  });
});

describe('the other quality bodies', () => {
  it('rating: a score 1–5 and known issue names, repeated ones kept once', () => {
    expect(parseRatingInput({ score: 2, issues: ['echo', 'echo', 'choppy-audio'] })).toEqual({ score: 2, issues: ['echo', 'choppy-audio'] });
    expect(fieldOf(() => parseRatingInput({ score: 6, issues: [] }))).toMatchObject({ status: 400, field: 'score' });
    expect(fieldOf(() => parseRatingInput({ score: 2.5, issues: [] }))).toMatchObject({ field: 'score' });
    expect(fieldOf(() => parseRatingInput({ score: 2, issues: ['loud'] }))).toMatchObject({ field: 'issues[0]' });
    expect(fieldOf(() => parseRatingInput({ score: 2 }))).toMatchObject({ field: 'issues' });
  });

  it('registration: set-up events, edge and SDK version', () => {
    const ok = { setup: [{ step: 'token', at: '2026-12-06T10:00:00.000Z', durationMs: 120, error: null }], edge: null, sdkVersion: '2.18.5' };
    expect(parseRegistrationInput(ok)).toEqual(ok);
    expect(fieldOf(() => parseRegistrationInput({ ...ok, sdkVersion: 3 }))).toMatchObject({ field: 'sdkVersion' });
    expect(fieldOf(() => parseRegistrationInput({ ...ok, setup: [{ step: 'registration', at: 'now', durationMs: null, error: null }] }))).toMatchObject({ field: 'setup[0].at' });
  });

  it('line test: the preflight report or its failure', () => {
    const ok = {
      callSid: SID, startedAt: '2026-12-06T10:00:00.000Z', endedAt: '2026-12-06T10:00:15.000Z', callQuality: 'great', edge: 'ashburn',
      mos: { min: 4.1, avg: 4.3, max: 4.4 }, rtt: { min: 20, avg: 25, max: 40 }, jitter: { min: 1, avg: 2, max: 5 }, packetLossPercent: 0,
      timing: { signalingMs: 300, iceMs: 120, dtlsMs: 80, peerConnectionMs: 200 }, warnings: [], error: null,
    };
    expect(parseLineTestInput(ok)).toEqual(ok);
    const failed = { ...ok, callSid: null, callQuality: null, mos: { min: null, avg: null, max: null }, error: { code: 31_000, message: 'failed' } };
    expect(parseLineTestInput(failed)).toEqual(failed);
    expect(fieldOf(() => parseLineTestInput({ ...ok, callQuality: 'superb' }))).toMatchObject({ field: 'callQuality' });
    expect(fieldOf(() => parseLineTestInput({ ...ok, mos: { min: 0, avg: 4, max: 4 } }))).toMatchObject({ field: 'mos.min' });
    expect(fieldOf(() => parseLineTestInput({ ...ok, timing: { ...ok.timing, iceMs: -1 } }))).toMatchObject({ field: 'timing.iceMs' });
    expect(fieldOf(() => parseLineTestInput({ ...ok, packetLossPercent: 150 }))).toMatchObject({ field: 'packetLossPercent' });
    expect(fieldOf(() => parseLineTestInput({ ...ok, endedAt: '2026-12-06T09:00:00.000Z' }))).toMatchObject({ field: 'endedAt' });
  });
});

describe('isBeaconText', () => {
  it("is sendBeacon's text/plain (UTF-8 or no charset) and nothing else", () => {
    expect(isBeaconText('text/plain;charset=UTF-8')).toBe(true);
    expect(isBeaconText('text/plain')).toBe(true);
    expect(isBeaconText('text/plain; charset=latin1')).toBe(false);
    expect(isBeaconText('application/x-www-form-urlencoded')).toBe(false);
    expect(isBeaconText(undefined)).toBe(false);
  });
});

describe('lineTestScopeOf', () => {
  it('reads an absent scope as none and team as team', () => {
    expect(lineTestScopeOf(undefined, null)).toBeNull();
    expect(lineTestScopeOf('team', null)).toBe('team');
  });

  it('refuses another value, a repeated one, and scope with identity, naming scope', () => {
    for (const [value, identity] of [['everyone', null], [['team', 'team'], null], ['team', 'bob']] as const) {
      expect(fieldOf(() => lineTestScopeOf(value, identity))).toMatchObject({ status: 400, field: 'scope' });
    }
  });
});
