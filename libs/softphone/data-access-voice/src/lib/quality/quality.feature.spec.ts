import type { QualitySample } from '@switchboard/shared-voice-model';
import { CallSdkEvents } from '../call/call-sdk.actions';
import { play } from '../testing-support/spec-helpers';
import { QualitySdkEvents } from './quality-sdk.actions';
import { QUALITY_SAMPLE_CAPACITY, qualityFeature } from './quality.feature';

const reducer = qualityFeature.reducer;
const sample = (timestamp: number, mos: number | null = 4.2): QualitySample => ({ timestamp, mos, rtt: 80, jitter: 4, packetLossPercent: 0 });

describe('quality slice', () => {
  it('keeps active warnings as a set, clears them one by one, and remembers every warning in the summary', () => {
    const state = play(
      reducer,
      QualitySdkEvents.warningRaised({ callId: 'c1', name: 'high-rtt' }),
      QualitySdkEvents.warningRaised({ callId: 'c1', name: 'high-rtt' }),
      QualitySdkEvents.warningRaised({ callId: 'c1', name: 'low-mos' }),
      QualitySdkEvents.warningCleared({ callId: 'c1', name: 'high-rtt' }),
    );
    expect(state.byCall['c1'].activeWarnings).toEqual(['low-mos']);
    expect(state.byCall['c1'].summary.warningsSeen).toEqual(['high-rtt', 'low-mos']);
  });

  it('keeps the most recent samples only (ring buffer), while the summary covers them all', () => {
    const actions = Array.from({ length: QUALITY_SAMPLE_CAPACITY + 5 }, (_, i) => QualitySdkEvents.sampleReceived({ callId: 'c1', sample: sample(i, i === 0 ? 2.0 : 4.2) }));
    const state = play(reducer, ...actions);
    expect(state.byCall['c1'].samples).toHaveLength(QUALITY_SAMPLE_CAPACITY);
    expect(state.byCall['c1'].samples[0].timestamp).toBe(5);
    expect(state.byCall['c1'].summary).toMatchObject({ sampleCount: QUALITY_SAMPLE_CAPACITY + 5, minMos: 2.0, maxRtt: 80 });
  });

  it('the end of the call clears active warnings but keeps the summary', () => {
    const state = play(
      reducer,
      QualitySdkEvents.warningRaised({ callId: 'c1', name: 'high-jitter' }),
      CallSdkEvents.disconnected({ callId: 'c1', callSid: null, at: 5 }),
    );
    expect(state.byCall['c1'].activeWarnings).toEqual([]);
    expect(state.byCall['c1'].summary.warningsSeen).toEqual(['high-jitter']);
  });
});
