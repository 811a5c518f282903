import {
  EMPTY_QUALITY_SUMMARY,
  QUALITY_WARNING_NAMES,
  QUALITY_WARNING_TEXT,
  addSampleToSummary,
  addWarningToSummary,
  appendCapped,
  isQualityWarningName,
  qualityLevel,
  type QualitySample,
} from './quality';
import { matchSavedDevice } from './voice-events';

const sample = (over: Partial<QualitySample> = {}): QualitySample => ({ timestamp: 0, mos: 4.3, rtt: 50, jitter: 2, packetLossPercent: 0, ...over });

describe('quality warnings', () => {
  it('has remediation text for every warning the SDK emits, including the seven the product promises', () => {
    for (const name of ['high-rtt', 'low-mos', 'high-jitter', 'high-packet-loss', 'constant-audio-input-level', 'constant-audio-output-level', 'ice-connectivity-lost']) {
      expect(isQualityWarningName(name)).toBe(true);
    }
    for (const name of QUALITY_WARNING_NAMES) expect(QUALITY_WARNING_TEXT[name].remediation.length).toBeGreaterThan(20);
    expect(isQualityWarningName('made-up')).toBe(false);
  });
});

describe('qualityLevel', () => {
  it('is good without warnings and with a healthy sample', () => {
    expect(qualityLevel([], sample())).toBe('good');
    expect(qualityLevel([], null)).toBe('good');
  });
  it('is fair for a mild warning or a borderline sample', () => {
    expect(qualityLevel(['high-jitter'], sample())).toBe('fair');
    expect(qualityLevel([], sample({ rtt: 450 }))).toBe('fair');
    expect(qualityLevel([], sample({ mos: 3.4 }))).toBe('fair');
  });
  it('is poor for a severe warning or a low MOS', () => {
    expect(qualityLevel(['high-jitter', 'low-mos'], sample())).toBe('poor');
    expect(qualityLevel([], sample({ mos: 2.5 }))).toBe('poor');
  });
});

describe('call quality summary', () => {
  it('tracks min/avg MOS, max RTT and warnings seen, ignoring samples without MOS for MOS', () => {
    let summary = EMPTY_QUALITY_SUMMARY;
    for (const s of [sample({ mos: 4, rtt: 100 }), sample({ mos: null, rtt: 500 }), sample({ mos: 3, rtt: 200, packetLossPercent: 4 })]) {
      summary = addSampleToSummary(summary, s);
    }
    summary = addWarningToSummary(addWarningToSummary(addWarningToSummary(summary, 'high-rtt'), 'low-mos'), 'high-rtt');
    expect(summary).toMatchObject({ sampleCount: 3, mosSampleCount: 2, minMos: 3, avgMos: 3.5, maxRtt: 500, maxPacketLossPercent: 4, warningsSeen: ['high-rtt', 'low-mos'] });
  });
});

describe('appendCapped', () => {
  it('drops the oldest beyond capacity', () => {
    let items: readonly number[] = [];
    for (let i = 1; i <= 5; i++) items = appendCapped(items, i, 3);
    expect(items).toEqual([3, 4, 5]);
  });
});

describe('matchSavedDevice', () => {
  const devices = [
    { deviceId: 'default', label: 'Default', groupId: 'g0' },
    { deviceId: 'abc', label: 'Jabra Evolve', groupId: 'g1' },
  ];
  it('matches by id first, then by label, else nothing', () => {
    expect(matchSavedDevice({ deviceId: 'abc', label: 'renamed' }, devices)?.deviceId).toBe('abc');
    expect(matchSavedDevice({ deviceId: 'old-id', label: 'Jabra Evolve' }, devices)?.deviceId).toBe('abc');
    expect(matchSavedDevice({ deviceId: 'gone', label: 'Gone' }, devices)).toBeNull();
    expect(matchSavedDevice({ deviceId: 'gone', label: '' }, [{ deviceId: 'x', label: '', groupId: '' }])).toBeNull();
    expect(matchSavedDevice(null, devices)).toBeNull();
  });
});
