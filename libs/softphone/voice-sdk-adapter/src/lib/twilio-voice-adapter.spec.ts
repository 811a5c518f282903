import { TestBed } from '@angular/core/testing';
import type { ClientConfig } from '@switchboard/shared-contracts';
import type { AudioEvent, CallEvent, DeviceEvent, QualityEvent } from '@switchboard/shared-voice-model';
import { VirtualTimeScheduler, lastValueFrom } from 'rxjs';
import { FakeSdkCall, FakeSdkDevice, fakeSdkModule } from './testing/fake-sdk';
import { TwilioVoiceAdapter } from './twilio-voice-adapter';
import {
  DEFAULT_VOICE_DEVICE_OPTIONS,
  LOAD_CLIENT_CONFIG,
  LOAD_VOICE_SDK,
  VOICE_ADAPTER_SCHEDULER,
  VOICE_DEVICE_OPTIONS,
  type VoiceDeviceOptions,
} from './voice-device-options';

const sandboxConfig: ClientConfig = {
  mode: 'sandbox',
  sandboxSignalingHost: '127.0.0.1:8443',
  sandboxOrigin: 'https://127.0.0.1:8443',
  edge: [],
  logLevel: 'info',
  tokenRefreshMs: 45_000,
};

function setUp(options: Partial<VoiceDeviceOptions> = {}, config: ClientConfig | null = null) {
  const sdk = fakeSdkModule();
  const loadSdk = jest.fn(async () => sdk);
  const scheduler = new VirtualTimeScheduler();
  TestBed.configureTestingModule({
    providers: [
      TwilioVoiceAdapter,
      { provide: VOICE_DEVICE_OPTIONS, useValue: { ...DEFAULT_VOICE_DEVICE_OPTIONS, ...options } },
      { provide: LOAD_VOICE_SDK, useValue: loadSdk },
      { provide: LOAD_CLIENT_CONFIG, useValue: async () => config },
      { provide: VOICE_ADAPTER_SCHEDULER, useValue: scheduler },
    ],
  });
  const adapter = TestBed.inject(TwilioVoiceAdapter);
  const device: DeviceEvent[] = [];
  const calls: CallEvent[] = [];
  const quality: QualityEvent[] = [];
  const audio: AudioEvent[] = [];
  adapter.deviceEvents$.subscribe((e) => device.push(e));
  adapter.callEvents$.subscribe((e) => calls.push(e));
  adapter.qualityEvents$.subscribe((e) => quality.push(e));
  adapter.audioEvents$.subscribe((e) => audio.push(e));
  return { adapter, loadSdk, scheduler, events: { device, calls, quality, audio } };
}

const registerOnce = async (adapter: TwilioVoiceAdapter, token = 'token-1') => {
  await lastValueFrom(adapter.register(token), { defaultValue: undefined });
  return FakeSdkDevice.instances[FakeSdkDevice.instances.length - 1];
};

const flushPromises = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('TwilioVoiceAdapter: Device', () => {
  it('loads the SDK only when asked to register (lazy), then creates, registers and reports', async () => {
    const { adapter, loadSdk, events } = setUp();
    expect(loadSdk).not.toHaveBeenCalled();
    const device = await registerOnce(adapter);
    expect(loadSdk).toHaveBeenCalledTimes(1);
    expect(device.tokens).toEqual(['token-1']);
    expect(events.device).toEqual([{ kind: 'created', sdkVersion: '2.18.5-fake' }, { kind: 'registering' }, { kind: 'registered', edge: 'ashburn' }]);
    expect(events.audio[0]).toMatchObject({ kind: 'devices-changed', inputs: [{ deviceId: 'default' }, { deviceId: 'mic-1', label: 'Jabra Evolve' }], isOutputSelectionSupported: true });
  });

  it('builds Device options from the defaults: roaming, dscp, opus first, 30 s signaling timeout, call waiting, precise errors', async () => {
    const { adapter } = setUp();
    const device = await registerOnce(adapter);
    expect(device.options).toMatchObject({
      edge: 'roaming',
      dscp: true,
      codecPreferences: ['opus', 'pcmu'],
      maxCallSignalingTimeoutMs: 30_000,
      closeProtection: true,
      allowIncomingWhileBusy: true,
      enableImprovedSignalingErrorPrecision: true,
      logLevel: 'warn',
    });
    expect(device.options).not.toHaveProperty('chunderw');
  });

  it('merges the sandbox options when the client config says sandbox', async () => {
    const { adapter } = setUp({}, sandboxConfig);
    const device = await registerOnce(adapter);
    expect(device.options).toMatchObject({ chunderw: '127.0.0.1:8443', publishEvents: false, logLevel: 'info', tokenRefreshMs: 45_000 });
    expect((device.options['sounds'] as Record<string, string>)['incoming']).toBe('https://127.0.0.1:8443/sounds/incoming.wav');
  });

  it('a second register() hands the new token to the same Device instead of creating another', async () => {
    const { adapter, loadSdk } = setUp();
    const first = await registerOnce(adapter, 'token-1');
    const second = await registerOnce(adapter, 'token-2');
    expect(second).toBe(first);
    expect(first.tokens).toEqual(['token-1', 'token-2']);
    expect(first.registerCalls).toBe(1);
    expect(loadSdk).toHaveBeenCalledTimes(1);
  });

  it('refreshRegistration() re-registers a Device that believes it is registered (frozen tab)', async () => {
    const { adapter, events } = setUp();
    const device = await registerOnce(adapter);
    events.device.length = 0;
    await lastValueFrom(adapter.refreshRegistration(), { defaultValue: undefined });
    expect(device.registerCalls).toBe(2);
    expect(events.device.map((e) => e.kind)).toEqual(['unregistered', 'registering', 'registered']);
  });

  it('register() waits for a registration already in progress instead of calling register() again', async () => {
    const { adapter } = setUp();
    const device = await registerOnce(adapter);
    device.state = 'registering';
    const waiting = lastValueFrom(adapter.register('token-2'), { defaultValue: undefined });
    device.state = 'registered';
    device.emit('registered');
    await waiting;
    expect(device.registerCalls).toBe(1);
  });

  it('register() on an idle Device that lost its registration builds a new Device (its signaling may be down)', async () => {
    const { adapter } = setUp();
    const first = await registerOnce(adapter, 'token-1');
    first.state = 'unregistered';
    const second = await registerOnce(adapter, 'token-2');
    expect(second).not.toBe(first);
    expect(first.destroyed).toBe(true);
    expect(second.tokens).toEqual(['token-2']);
    expect(second.registerCalls).toBe(1);
  });

  it('register() during a call waits for the SDK to re-register by itself, keeping the Device and the call', async () => {
    const { adapter } = setUp();
    const device = await registerOnce(adapter, 'token-1');
    device.state = 'unregistered';
    device.isBusy = true;
    const waiting = lastValueFrom(adapter.register('token-2'), { defaultValue: undefined });
    await flushPromises();
    expect(device.registerCalls).toBe(1);
    device.state = 'registered';
    device.emit('registered');
    await waiting;
    expect(FakeSdkDevice.instances[FakeSdkDevice.instances.length - 1]).toBe(device);
    expect(device.destroyed).toBe(false);
    expect(device.registerCalls).toBe(1);
  });

  it('turns the SDK loading failure into an error the effects can describe', async () => {
    const { adapter, loadSdk } = setUp();
    loadSdk.mockRejectedValueOnce(new Error('ChunkLoadError'));
    await expect(lastValueFrom(adapter.register('t'))).rejects.toMatchObject({ name: 'VoiceAdapterError' });
    await registerOnce(adapter);
    expect(loadSdk).toHaveBeenCalledTimes(2);
  });

  it('reports Device errors by code, once (a call error is reported by the call)', async () => {
    const { adapter, events } = setUp();
    const device = await registerOnce(adapter);
    device.emit('error', { code: 20104, message: 'AccessTokenExpired (20104)' });
    device.emit('tokenWillExpire', device);
    const call = new FakeSdkCall({ CallSid: 'CA1', From: '+15555550100' });
    device.emit('incoming', call);
    call.emit('error', { code: 31486, message: 'Busy' });
    device.emit('error', { code: 31486, message: 'Busy' }, call);
    expect(events.device.filter((e) => e.kind === 'error')).toEqual([{ kind: 'error', code: 20104, message: 'AccessTokenExpired (20104)' }]);
    expect(events.device.at(-1)).toEqual({ kind: 'token-will-expire' });
    expect(events.calls.filter((e) => e.kind === 'error')).toEqual([{ kind: 'error', callId: 'call-1', code: 31486, message: 'Busy' }]);
  });

  it('destroy() detaches every listener first, so a deliberate destroy is not reported', async () => {
    const { adapter, events } = setUp();
    const device = await registerOnce(adapter);
    const call = new FakeSdkCall({ CallSid: 'CA1' });
    device.emit('incoming', call);
    events.device.length = 0;
    adapter.destroy();
    expect(device.destroyed).toBe(true);
    expect(events.device).toEqual([]);
    for (const name of ['registered', 'unregistered', 'error', 'incoming', 'tokenWillExpire']) expect(device.listenerCount(name)).toBe(0);
    expect(device.audio.listenerCount('deviceChange')).toBe(0);
    expect(device.audio.listenerCount('inputVolume')).toBe(0);
    expect(call.listenerCount('disconnect')).toBe(0);
  });

  it('a Device the SDK destroyed itself (pagehide) is reported once and replaced on the next register()', async () => {
    const { adapter, events } = setUp();
    const first = await registerOnce(adapter, 'token-1');
    first.destroy();
    expect(events.device.filter((e) => e.kind === 'destroyed')).toHaveLength(1);
    expect(first.listenerCount('registered')).toBe(0);
    const second = await registerOnce(adapter, 'token-2');
    expect(second).not.toBe(first);
    expect(second.tokens).toEqual(['token-2']);
  });

  it('the speaker test without a URL plays the Device\'s own (sandbox-local) outgoing sound', async () => {
    const { adapter } = setUp({}, sandboxConfig);
    const device = await registerOnce(adapter);
    await lastValueFrom(adapter.testSpeaker(null), { defaultValue: undefined });
    expect(device.audio.speakerDevices.test).toHaveBeenCalledWith('https://127.0.0.1:8443/sounds/outgoing.wav');
  });

  it('changes the log level at run time with updateOptions', async () => {
    const { adapter } = setUp();
    const device = await registerOnce(adapter);
    adapter.setLogLevel('debug');
    expect(device.optionUpdates).toEqual([{ logLevel: 'debug' }]);
  });

  it('a saved edge chosen before sign-in is the new Device\'s edge', async () => {
    const { adapter, loadSdk } = setUp({ edge: ['ashburn', 'dublin'] });
    await lastValueFrom(adapter.setEdge('frankfurt'), { defaultValue: undefined });
    expect(loadSdk).not.toHaveBeenCalled();
    const device = await registerOnce(adapter);
    expect(device.options['edge']).toBe('frankfurt');
  });

  it('`configured` keeps the configured fallback order for the Device', async () => {
    const { adapter } = setUp({ edge: ['ashburn', 'dublin'] });
    await lastValueFrom(adapter.setEdge('configured'), { defaultValue: undefined });
    const device = await registerOnce(adapter);
    expect(device.options['edge']).toEqual(['ashburn', 'dublin']);
  });

  it('changes the edge of an idle Device with updateOptions, and back to the configured order', async () => {
    const { adapter } = setUp({ edge: ['ashburn', 'dublin'] });
    const device = await registerOnce(adapter);
    await lastValueFrom(adapter.setEdge('tokyo'), { defaultValue: undefined });
    await lastValueFrom(adapter.setEdge('configured'), { defaultValue: undefined });
    expect(device.optionUpdates).toEqual([{ edge: 'tokyo' }, { edge: ['ashburn', 'dublin'] }]);
  });

  it('refuses to touch the edge during a call (CallInProgress), but a later Device gets it', async () => {
    const { adapter } = setUp();
    const device = await registerOnce(adapter);
    device.isBusy = true;
    await expect(lastValueFrom(adapter.setEdge('sydney'), { defaultValue: undefined })).rejects.toMatchObject({ name: 'CallInProgress' });
    expect(device.optionUpdates).toEqual([]);
    device.isBusy = false;
    adapter.destroy();
    const next = await registerOnce(adapter, 'token-2');
    expect(next).not.toBe(device);
    expect(next.options['edge']).toBe('sydney');
  });

  it('an SDK refusal becomes EdgeChangeFailed, not a crash', async () => {
    const { adapter } = setUp();
    const device = await registerOnce(adapter);
    device.updateOptionsError = new Error('InvalidStateError: Attempt to "updateOptions" when device is in state "destroyed".');
    await expect(lastValueFrom(adapter.setEdge('dublin'), { defaultValue: undefined })).rejects.toMatchObject({ name: 'EdgeChangeFailed' });
  });

  it('in sandbox mode the sandbox\'s chunderw stays, whatever edge is chosen', async () => {
    const { adapter } = setUp({}, sandboxConfig);
    await lastValueFrom(adapter.setEdge('singapore'), { defaultValue: undefined });
    const device = await registerOnce(adapter);
    expect(device.options['chunderw']).toBeTruthy();
    expect(device.options['edge']).toBe('singapore');
  });

  it('throttles AudioHelper inputVolume (every 50 ms in the SDK) for the level meter, keeping the last value', async () => {
    const { adapter, scheduler, events } = setUp({ volumeEventsPerSecond: 10 });
    const device = await registerOnce(adapter);
    for (let i = 1; i <= 10; i++) device.audio.emit('inputVolume', i / 10);
    const volumes = () => events.audio.filter((e) => e.kind === 'input-volume');
    expect(volumes()).toEqual([{ kind: 'input-volume', level: 0.1 }]);
    scheduler.flush();
    expect(volumes()).toEqual([
      { kind: 'input-volume', level: 0.1 },
      { kind: 'input-volume', level: 1 },
    ]);
  });

  it('reports deviceChange with the lost active devices', async () => {
    const { adapter, events } = setUp();
    const device = await registerOnce(adapter);
    device.audio.availableInputDevices.delete('mic-1');
    device.audio.emit('deviceChange', [{ deviceId: 'mic-1', label: 'Jabra Evolve' }]);
    expect(events.audio.at(-1)).toMatchObject({ kind: 'devices-changed', lostActiveDeviceIds: ['mic-1'], inputs: [{ deviceId: 'default' }] });
  });

  it('sets input and output devices and plays the speaker test through the AudioHelper', async () => {
    const { adapter } = setUp();
    const device = await registerOnce(adapter);
    await lastValueFrom(adapter.setInputDevice('mic-1'), { defaultValue: undefined });
    await lastValueFrom(adapter.setOutputDevice('spk-1'), { defaultValue: undefined });
    await lastValueFrom(adapter.testSpeaker('/sounds/test.wav'), { defaultValue: undefined });
    expect(device.audio.setInputDevice).toHaveBeenCalledWith('mic-1');
    expect(device.audio.speakerDevices.set).toHaveBeenCalledWith('spk-1');
    expect(device.audio.speakerDevices.test).toHaveBeenCalledWith('/sounds/test.wav');
  });
});

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

describe('TwilioVoiceAdapter: WebRTC overrides', () => {
  it('passes the WebRTC overrides to the Device too', async () => {
    const getUserMedia = jest.fn();
    const enumerateDevices = jest.fn();
    class FakePeerConnection {}
    const { adapter } = setUp({ webRtc: { getUserMedia, enumerateDevices, RTCPeerConnection: FakePeerConnection as unknown as typeof RTCPeerConnection } });
    const device = await registerOnce(adapter);
    expect(device.options['getUserMedia']).toBe(getUserMedia);
    expect(device.options['enumerateDevices']).toBe(enumerateDevices);
    expect(device.options['RTCPeerConnection']).toBe(FakePeerConnection);
  });
});

