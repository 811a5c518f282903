import { flushPromises, registerOnce, setUp } from './testing/adapter-harness';
import { FakeSdkCall } from './testing/fake-sdk';

describe('TwilioVoiceAdapter: calls', () => {
  it('an incoming call becomes plain data keyed by the adapter id; the Call object stays inside', async () => {
    const { adapter, events } = setUp();
    const device = await registerOnce(adapter);
    const call = new FakeSdkCall({ CallSid: 'CA1', From: '+15555550100', To: 'client:alice' });
    call.customParameters = new Map([['account', 'ACME']]);
    call.callerInfo = { isVerified: true };
    device.emit('incoming', call);
    expect(events.calls).toEqual([
      { kind: 'incoming', callId: 'call-1', callSid: 'CA1', from: '+15555550100', to: 'client:alice', customParameters: { account: 'ACME' }, isCallerVerified: true },
    ]);
    expect(JSON.parse(JSON.stringify(events.calls))).toEqual(events.calls);
    adapter.accept('call-1');
    call.emit('accept', call);
    expect(call.calls).toEqual(['accept']);
    expect(events.calls.at(-1)).toEqual({ kind: 'accepted', callId: 'call-1', callSid: 'CA1' });
  });

  it('a cancelled incoming call is reported and its listeners are removed', async () => {
    const { adapter, events } = setUp();
    const device = await registerOnce(adapter);
    const call = new FakeSdkCall({ CallSid: 'CA1', From: '+1' });
    device.emit('incoming', call);
    call.emit('cancel');
    expect(events.calls.at(-1)).toEqual({ kind: 'cancelled', callId: 'call-1' });
    for (const name of call.eventNames()) expect(call.listenerCount(name)).toBe(0);
    expect(() => adapter.accept('call-1')).toThrow(/No live call/);
  });

  it('hang-up of a ringing incoming call rejects it; of a connected one disconnects', async () => {
    const { adapter } = setUp();
    const device = await registerOnce(adapter);
    const ringing = new FakeSdkCall({ CallSid: 'CA1' });
    device.emit('incoming', ringing);
    adapter.hangUp('call-1');
    expect(ringing.calls).toEqual(['reject']);
    const open = new FakeSdkCall({ CallSid: 'CA2' });
    device.emit('incoming', open);
    open.setStatus('open');
    adapter.hangUp('call-2');
    expect(open.calls).toEqual(['disconnect']);
  });

  it('places an outgoing call with To, keys its events by the id returned at once, and cleans up on disconnect', async () => {
    const audioSeen: [HTMLAudioElement, string][] = [];
    const { adapter, events } = setUp({ webRtc: { onCallAudio: (audio, callId) => audioSeen.push([audio, callId]) } });
    const device = await registerOnce(adapter);
    const call = new FakeSdkCall({});
    device.nextCall = Promise.resolve(call);
    const callId = adapter.connect({ to: '+14155550111', params: { note: 'x' } });
    expect(callId).toBe('call-1');
    expect(device.connects).toEqual([{ params: { note: 'x', To: '+14155550111' } }]);
    await flushPromises();
    call.emit('ringing', true);
    call.parameters = { CallSid: 'CA9' };
    call.emit('accept', call);
    const audioElement = {} as HTMLAudioElement;
    call.emit('audio', audioElement);
    adapter.mute(callId);
    adapter.sendDigits(callId, '12#');
    expect(adapter.sendMessage(callId, { hello: 1 })).toMatch(/^KX/);
    call.emit('mute', true, call);
    call.emit('disconnect', call);
    expect(events.calls).toEqual([
      { kind: 'ringing', callId, hasEarlyMedia: true },
      { kind: 'accepted', callId, callSid: 'CA9' },
      { kind: 'muted', callId, isMuted: true },
      { kind: 'disconnected', callId, callSid: 'CA9' },
    ]);
    expect(call.calls).toEqual(['mute:true', 'digits:12#', 'message:user-defined-message:{"hello":1}']);
    expect(audioSeen).toEqual([[audioElement, callId]]);
    expect(call.listenerCount('disconnect')).toBe(0);
  });

  it('a connect() that fails reports the error and a disconnect for the same id', async () => {
    const { adapter, events } = setUp();
    const device = await registerOnce(adapter);
    device.nextCall = Promise.reject({ code: 31401, message: 'Permission denied' });
    const callId = adapter.connect({ to: '+1' });
    await flushPromises();
    expect(events.calls).toEqual([
      { kind: 'error', callId, code: 31401, message: 'Permission denied' },
      { kind: 'disconnected', callId, callSid: null },
    ]);
  });

  it('connect() without a Device throws (the effect turns it into a failed call)', () => {
    const { adapter } = setUp();
    expect(() => adapter.connect({ to: '+1' })).toThrow(/not connected/);
  });

  it('quality: SDK warnings, samples and throttled volume become quality events; unknown warnings are dropped', async () => {
    const { adapter, scheduler, events } = setUp();
    const device = await registerOnce(adapter);
    const call = new FakeSdkCall({ CallSid: 'CA1' });
    device.emit('incoming', call);
    call.emit('warning', 'high-rtt', { name: 'rtt' });
    call.emit('warning', 'ice-connectivity-lost');
    call.emit('warning', 'something-new');
    call.emit('warning-cleared', 'high-rtt');
    call.emit('sample', { timestamp: 5, mos: 4.1, rtt: 120, jitter: 3, packetsLostFraction: 0.5, codecName: 'opus' });
    for (let i = 0; i < 20; i++) call.emit('volume', 0.2, 0.3);
    scheduler.flush();
    expect(events.quality).toEqual([
      { kind: 'warning', callId: 'call-1', name: 'high-rtt' },
      { kind: 'warning', callId: 'call-1', name: 'ice-connectivity-lost' },
      { kind: 'warning-cleared', callId: 'call-1', name: 'high-rtt' },
      { kind: 'sample', callId: 'call-1', sample: { timestamp: 5, mos: 4.1, rtt: 120, jitter: 3, packetLossPercent: 0.5 } },
      { kind: 'volume', callId: 'call-1', input: 0.2, output: 0.3 },
      { kind: 'volume', callId: 'call-1', input: 0.2, output: 0.3 },
    ]);
  });
});

