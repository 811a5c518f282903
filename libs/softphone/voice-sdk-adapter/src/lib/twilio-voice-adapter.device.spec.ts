import { lastValueFrom } from 'rxjs';
import { flushPromises, registerOnce, sandboxConfig, setUp } from './testing/adapter-harness';
import { FakeSdkCall, FakeSdkDevice } from './testing/fake-sdk';

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

  it('rings on the chosen ringtone device through audio.ringtoneDevices, leaving the call speaker alone', async () => {
    const { adapter } = setUp();
    const device = await registerOnce(adapter);
    await lastValueFrom(adapter.setRingtoneDevice('spk-2'), { defaultValue: undefined });
    expect(device.audio.ringtoneDevices.set).toHaveBeenCalledWith(['spk-2']);
    expect(device.audio.speakerDevices.set).not.toHaveBeenCalled();
  });

  it('does not ask the SDK for a ringtone device where the browser cannot choose outputs', async () => {
    const { adapter } = setUp();
    const device = await registerOnce(adapter);
    device.audio.isOutputSelectionSupported = false;
    await lastValueFrom(adapter.setRingtoneDevice('spk-2'), { defaultValue: undefined });
    expect(device.audio.ringtoneDevices.set).not.toHaveBeenCalled();
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

