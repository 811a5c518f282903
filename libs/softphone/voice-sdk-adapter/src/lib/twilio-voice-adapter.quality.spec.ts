import type { PreflightEvent } from '@switchboard/softphone-data-access-voice';
import type { CallMediaEvent } from '@switchboard/softphone-data-access-voice';
import { lastValueFrom, toArray } from 'rxjs';
import { flushPromises, registerOnce, sandboxConfig, setUp } from './testing/adapter-harness';
import { FakeSdkCall, FakeSdkDevice } from './testing/fake-sdk';

const sampleWith = (bytesReceived: number) => ({ timestamp: 1, mos: 4.3, rtt: 20, jitter: 2, packetsLostFraction: 0, bytesReceived, codecName: 'opus' });

describe('TwilioVoiceAdapter: quality record facts, line test, rating (issue 14)', () => {
  it('reports media flowing at the first sample with bytes received, with the media facts (labels, never ids)', async () => {
    const { adapter } = setUp();
    const media: CallMediaEvent[] = [];
    adapter.mediaEvents$.subscribe((e) => media.push(e));
    const device = await registerOnce(adapter);
    device.audio.inputDevice = { deviceId: 'mic-1', label: 'Jabra Evolve', groupId: 'g', kind: 'audioinput', toJSON: () => ({}) } as MediaDeviceInfo;
    const call = new FakeSdkCall({ CallSid: 'CA1' });
    call._mediaHandler = {
      version: {
        pc: {
          getStats: async () =>
            new Map<string, Record<string, unknown>>([
              ['CP', { id: 'CP', type: 'candidate-pair', selected: true, localCandidateId: 'L', remoteCandidateId: 'R' }],
              ['L', { id: 'L', type: 'local-candidate', candidateType: 'host', networkType: 'ethernet' }],
              ['R', { id: 'R', type: 'remote-candidate', candidateType: 'srflx' }],
            ]) as unknown as RTCStatsReport,
        },
      },
    };
    device.emit('incoming', call);
    call.emit('sample', sampleWith(0));
    expect(media).toEqual([]);
    call.emit('sample', sampleWith(1200));
    call.emit('sample', sampleWith(1200));
    await flushPromises();
    expect(media.map((e) => e.kind)).toEqual(['media-flowing', 'media-facts']);
    expect(media[1]).toEqual({
      kind: 'media-facts',
      callId: 'call-1',
      facts: {
        codec: 'opus',
        localCandidateType: 'host',
        remoteCandidateType: 'srflx',
        networkType: 'ethernet',
        edge: 'ashburn',
        dscp: true,
        sdkVersion: '2.18.5-fake',
        inputDeviceLabel: 'Jabra Evolve',
        outputDeviceLabel: null,
      },
    });
    expect(JSON.stringify(media)).not.toContain('mic-1');
  });

  it('posts feedback on a call that has ended, and refuses an unknown call', async () => {
    const { adapter } = setUp();
    const device = await registerOnce(adapter);
    const call = new FakeSdkCall({ CallSid: 'CA1' });
    device.emit('incoming', call);
    call.emit('disconnect');
    await lastValueFrom(adapter.postFeedback('call-1', 2, 'choppy-audio'), { defaultValue: undefined });
    expect(call.feedback).toEqual([{ score: 2, issue: 'choppy-audio' }]);
    await expect(lastValueFrom(adapter.postFeedback('call-9', 5, null))).rejects.toThrow(/No recent call/);
  });

  it('runs the preflight with the phone\'s codecs and the sandbox signaling host, and maps the report', async () => {
    const { adapter } = setUp({}, sandboxConfig);
    const events: PreflightEvent[] = [];
    const done = lastValueFrom(adapter.runPreflight('token-p').pipe(toArray()));
    await flushPromises();
    const test = FakeSdkDevice.preflights[0];
    expect(test.token).toBe('token-p');
    expect(test.options).toMatchObject({ codecPreferences: ['opus', 'pcmu'], chunderw: '127.0.0.1:8443', edge: 'roaming', eventgw: '127.0.0.1:8443' });
    // The SDK builds the test's Device with `new deviceFactory(token, options)`: in sandbox mode it must get the
    // phone's publishEvents: false and sandbox sounds, which the preflight's own options cannot carry.
    const Factory = test.options['deviceFactory'] as new (token: string, options: Record<string, unknown>) => FakeSdkDevice;
    expect(typeof Factory).toBe('function');
    const built = new Factory('token-p', { chunderw: '127.0.0.1:8443', preflight: true });
    expect(built).toBeInstanceOf(FakeSdkDevice);
    expect(built.options).toMatchObject({ chunderw: '127.0.0.1:8443', preflight: true, publishEvents: false });
    expect(built.options['sounds']).toMatchObject({ incoming: expect.stringContaining('https://127.0.0.1:8443') });
    test.callSid = 'CA9';
    test.emit('connected');
    test.emit('sample', { mos: 4.4, rtt: 30, jitter: 1, packetsLostFraction: 0 });
    test.emit('warning', { name: 'high-rtt', description: 'RTT high' });
    test.emit('completed', {
      callSid: 'CA9',
      edge: 'ashburn',
      callQuality: 'great',
      stats: { mos: { average: 4.3, min: 4.1, max: 4.4 }, rtt: { average: 30, min: 20, max: 40 }, jitter: { average: 1, min: 0, max: 3 } },
      totals: { packetsLostFraction: 0.5 },
      networkTiming: { signaling: { start: 1, end: 101, duration: 100 }, ice: { duration: 20 } },
      testTiming: { start: 1000, end: 16000, duration: 15000 },
      warnings: [{ name: 'high-rtt', description: 'x' }],
    });
    events.push(...(await done));
    expect(events.map((e) => e.kind)).toEqual(['connected', 'sample', 'warning', 'completed']);
    expect(events[0]).toEqual({ kind: 'connected', callSid: 'CA9' });
    expect(events[3]).toEqual({
      kind: 'completed',
      report: {
        callSid: 'CA9',
        edge: 'ashburn',
        callQuality: 'great',
        mos: { min: 4.1, avg: 4.3, max: 4.4 },
        rtt: { min: 20, avg: 30, max: 40 },
        jitter: { min: 0, avg: 1, max: 3 },
        packetLossPercent: 0.5,
        timing: { signalingMs: 100, iceMs: 20, dtlsMs: null, peerConnectionMs: null },
        warnings: ['high-rtt'],
        startedAt: 1000,
        endedAt: 16000,
      },
    });
    expect(test.stopped).toBe(false);
  });

  it('a failed preflight ends with its code; unsubscribing early stops the test', async () => {
    const { adapter } = setUp();
    const failed = lastValueFrom(adapter.runPreflight('t'));
    await flushPromises();
    FakeSdkDevice.preflights[0].emit('failed', { code: 31008, message: 'Call cancelled' });
    await expect(failed).resolves.toEqual({ kind: 'failed', code: 31008, message: 'Call cancelled' });
    const subscription = adapter.runPreflight('t').subscribe();
    await flushPromises();
    subscription.unsubscribe();
    expect(FakeSdkDevice.preflights[1].stopped).toBe(true);
    expect(FakeSdkDevice.preflights[1].options).not.toHaveProperty('chunderw');
  });

  it('a preflight that cannot start (sandbox mode without a signaling host) ends failed instead of erroring', async () => {
    const { adapter } = setUp({}, { ...sandboxConfig, sandboxSignalingHost: null });
    const events = await lastValueFrom(adapter.runPreflight('t').pipe(toArray()));
    expect(events).toEqual([{ kind: 'failed', code: 31000, message: expect.stringMatching(/sandboxSignalingHost/) }]);
    expect(FakeSdkDevice.preflights).toEqual([]);
  });
});
