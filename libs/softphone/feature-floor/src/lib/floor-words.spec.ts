import { agent, BOBS_CALL } from './floor-fixtures';
import { formatAverage, formatElapsed, isQualityPoor, qualityText, reachabilityText, secondsSince, stateText } from './floor-words';

describe('the board in words', () => {
  it('writes clocks as m:ss or h:mm:ss, never negative', () => {
    expect(formatElapsed(65)).toBe('1:05');
    expect(formatElapsed(3725)).toBe('1:02:05');
    expect(secondsSince('2026-12-06T10:00:00.000Z', Date.parse('2026-12-06T09:59:59.000Z'))).toBe(0);
    expect(formatAverage(null)).toBe('—');
    expect(formatAverage(12.4)).toBe('12 s');
    expect(formatAverage(95)).toBe('1:35');
  });

  it("names the state with the away reason's label (or its id when the list does not know it)", () => {
    const away = agent('alice', 'Alice Adams', { availability: { identity: 'alice', state: 'away', reason: 'break', since: '' } });
    expect(stateText(away, [{ id: 'break', label: 'Break' }])).toBe('Away · Break');
    expect(stateText(away, [])).toBe('Away · break');
    expect(stateText(agent('bob', 'Bob Brown'), [])).toBe('Available');
  });

  it('says why an agent is unreachable', () => {
    const frozen = agent('bob', 'Bob Brown', { reachability: { identity: 'bob', reachable: false, reason: 'tab-frozen', since: '' } });
    expect(reachabilityText(frozen)).toBe('Unreachable: Tab frozen by the browser');
    expect(reachabilityText(agent('alice', 'Alice Adams'))).toBe('Reachable');
  });

  it('reads live quality: MOS and the warnings by their titles; poor when warned or MOS under 3.5', () => {
    expect(qualityText(BOBS_CALL)).toBe('MOS 4.3');
    expect(isQualityPoor(BOBS_CALL)).toBe(false);
    const choppy = { ...BOBS_CALL, quality: { mos: 3.1, warnings: ['high-jitter'] } };
    expect(qualityText(choppy)).toBe('MOS 3.1 · Choppy audio');
    expect(isQualityPoor(choppy)).toBe(true);
    expect(qualityText({ ...BOBS_CALL, quality: null })).toBe('No quality report yet');
  });
});
