import type { QualitySample } from '@switchboard/shared-voice-model';
import { CallRecording } from './call-recording';

const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const sample = (over: Partial<QualitySample> = {}): QualitySample => ({ timestamp: T0 + 5000, mos: 4.35678, rtt: 41.6, jitter: 3.2, packetLossPercent: 0.123, ...over });
const device = { edge: 'ashburn', sdkVersion: '2.18.5' };

describe('CallRecording', () => {
  it('builds one column per figure from the 1 s samples, with the input/output levels averaged over each second', () => {
    const r = new CallRecording('inbound', T0, 'CA1');
    r.accepted(T0 + 1000, 'CA1');
    r.volume(0.2, 0.4);
    r.volume(0.4, 0.6);
    r.sample(sample(), T0 + 5000);
    // No volume event in this second: the last second's levels stand.
    r.sample(sample({ timestamp: T0 + 6000, mos: null, rtt: 400, jitter: 35, packetLossPercent: 5 }), T0 + 6000);
    r.volume(1.5, -1); // clamped to 0–1
    r.sample(sample({ timestamp: T0 + 7000 }), T0 + 7000);
    const record = r.toRecord(T0 + 8000, device);
    expect(record?.samples).toEqual({
      firstSampleAt: T0 + 5000,
      intervalMs: 1000,
      mos: [4.36, null, 4.36],
      rtt: [42, 400, 42],
      jitter: [3, 35, 3],
      packetLossPercent: [0.12, 5, 0.12],
      inputLevel: [0.3, 0.3, 1],
      outputLevel: [0.5, 0.5, 0],
    });
  });

  it('keeps each warning with its start and end; one still raised at hang-up has no end; repeats and unknown names are ignored', () => {
    const r = new CallRecording('inbound', T0, 'CA1');
    r.accepted(T0, 'CA1');
    r.warningRaised('high-jitter', T0 + 10_000);
    r.warningRaised('high-jitter', T0 + 11_000);
    r.warningRaised('not-a-warning', T0 + 11_000);
    r.warningCleared('high-jitter', T0 + 20_000);
    r.warningRaised('high-packet-loss', T0 + 30_000);
    r.warningRaised('high-jitter', T0 + 40_000);
    expect(r.toRecord(T0 + 50_000, device)?.warnings).toEqual([
      { name: 'high-jitter', startedAt: iso(T0 + 10_000), endedAt: iso(T0 + 20_000) },
      { name: 'high-packet-loss', startedAt: iso(T0 + 30_000), endedAt: null },
      { name: 'high-jitter', startedAt: iso(T0 + 40_000), endedAt: null },
    ]);
    expect(r.warningNames).toEqual(['high-jitter', 'high-packet-loss']);
  });

  it('times an outgoing call: connect() to ringing, then the far end answering to the first sample with media', () => {
    const r = new CallRecording('outbound', T0, null);
    r.ringing(T0 + 800);
    r.accepted(T0 + 5000, 'CA2');
    r.mediaFlowing(T0 + 5600);
    const record = r.toRecord(T0 + 60_000, device);
    expect(record?.callSid).toBe('CA2');
    expect(record?.direction).toBe('outbound');
    expect(record?.setup).toEqual([
      { step: 'invite-to-ringing', at: iso(T0), durationMs: 800, error: null },
      { step: 'answer-to-media', at: iso(T0 + 5000), durationMs: 600, error: null },
    ]);
    // No media facts arrived: what the Device said stands in.
    expect(record?.media).toMatchObject({ edge: 'ashburn', sdkVersion: '2.18.5', codec: null, inputDeviceLabel: null });
  });

  it('times an incoming answer from the Answer click; a failure carries the SDK code; an unanswered ring is not recorded', () => {
    const answered = new CallRecording('inbound', T0, 'CA3');
    answered.answerClicked(T0 + 2000);
    answered.accepted(T0 + 2300, 'CA3');
    answered.error(31003, 'ICE failed');
    expect(answered.toRecord(T0 + 9000, device)?.setup).toEqual([{ step: 'answer-to-media', at: iso(T0 + 2000), durationMs: null, error: { code: 31003, message: 'ICE failed' } }]);

    const busy = new CallRecording('outbound', T0, null);
    busy.error(31486, 'Busy');
    busy.callSid = 'CA4';
    expect(busy.toRecord(T0 + 3000, device)?.setup).toEqual([{ step: 'invite-to-ringing', at: iso(T0), durationMs: null, error: { code: 31486, message: 'Busy' } }]);

    const missed = new CallRecording('inbound', T0, 'CA5');
    expect(missed.isRecordable).toBe(false);
    expect(missed.toRecord(T0 + 3000, device)).toBeNull();
  });

  it('a step still open at hang-up is kept without a duration; media facts from the adapter are used as they are', () => {
    const r = new CallRecording('outbound', T0, null);
    r.accepted(T0 + 1000, 'CA6');
    const facts = { codec: 'opus', localCandidateType: 'host', remoteCandidateType: 'srflx', networkType: 'wifi', edge: 'dublin', dscp: true, sdkVersion: '2.18.5', inputDeviceLabel: 'Jabra', outputDeviceLabel: 'Speakers' };
    r.mediaFacts(facts);
    const record = r.toRecord(T0 + 2000, device);
    expect(record?.setup).toEqual([
      { step: 'invite-to-ringing', at: iso(T0), durationMs: 1000, error: null },
      { step: 'answer-to-media', at: iso(T0 + 1000), durationMs: null, error: null },
    ]);
    expect(record?.media).toEqual(facts);
  });

  it('with early media the answer-to-media step takes no time; figures the API would refuse are bounded', () => {
    const r = new CallRecording('outbound', T0, null);
    r.ringing(T0 + 500);
    r.mediaFlowing(T0 + 600);
    r.accepted(T0 + 4000, 'CA7');
    r.sample(sample({ mos: 0, rtt: 90_000, jitter: -3, packetLossPercent: 140 }), T0 + 5000);
    r.mediaFacts({ codec: 'opus', localCandidateType: null, remoteCandidateType: null, networkType: null, edge: null, dscp: false, sdkVersion: '', inputDeviceLabel: 'x'.repeat(300), outputDeviceLabel: null });
    r.error(31000, 'y'.repeat(300));
    const record = r.toRecord(T0 + 6000, device);
    expect(record?.setup[1]).toEqual({ step: 'answer-to-media', at: iso(T0 + 4000), durationMs: 0, error: null });
    expect(record?.samples).toMatchObject({ mos: [null], rtt: [60_000], jitter: [0], packetLossPercent: [100] });
    expect(record?.media.inputDeviceLabel).toHaveLength(200);
    expect(record?.media.sdkVersion).toBe('unknown');
  });
});
