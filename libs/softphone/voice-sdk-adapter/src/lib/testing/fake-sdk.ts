import { EventEmitter } from 'node:events';
import type { SdkAudioHelper, SdkCall, SdkDevice, SdkOutputDeviceCollection, SdkPreflightTest, VoiceSdkModule } from '../sdk-types';

/**
 * EventEmitter fakes of the SDK's Device, Call and AudioHelper, emitting the same event names
 * with the same arguments as @twilio/voice-sdk 2.18.5 (device.js, call.js, audiohelper.js).
 */
export class FakeSdkCall extends EventEmitter implements SdkCall {
  readonly calls: string[] = [];
  private state = 'pending';
  customParameters = new Map<string, string>();
  callerInfo: { isVerified: boolean } | null = null;

  constructor(public parameters: Record<string, string> = {}) {
    super();
  }

  accept(): void {
    this.calls.push('accept');
    this.state = 'open';
  }
  reject(): void {
    this.calls.push('reject');
    this.state = 'closed';
  }
  ignore(): void {
    this.calls.push('ignore');
    this.state = 'closed';
  }
  disconnect(): void {
    this.calls.push('disconnect');
    this.state = 'closed';
  }
  mute(shouldMute = true): void {
    this.calls.push(`mute:${shouldMute}`);
  }
  sendDigits(digits: string): void {
    this.calls.push(`digits:${digits}`);
  }
  sendMessage(message: { content: unknown; contentType?: string; messageType: string }): string {
    this.calls.push(`message:${message.messageType}:${JSON.stringify(message.content)}`);
    return 'KX00000000000000000000000000000001';
  }
  status(): string {
    return this.state;
  }
  readonly feedback: { score?: number; issue?: string }[] = [];
  async postFeedback(score?: number, issue?: string): Promise<void> {
    this.feedback.push({ score, issue });
  }
  /** What the adapter reads for the selected ICE pair (call.js keeps it in the private `_mediaHandler`). */
  _mediaHandler: { version: { pc: Pick<RTCPeerConnection, 'getStats'> } | null } | null = null;
  setStatus(state: string): void {
    this.state = state;
  }
}

export class FakeOutputDevices implements SdkOutputDeviceCollection {
  inUse = new Set<MediaDeviceInfo>();
  get(): Set<MediaDeviceInfo> {
    return this.inUse;
  }
  readonly set = jest.fn<Promise<void>, [string | string[]]>(async () => undefined);
  readonly test = jest.fn<Promise<void>, [string?]>(async () => undefined);
}

const deviceInfo = (deviceId: string, label: string, kind: MediaDeviceKind): MediaDeviceInfo =>
  ({ deviceId, label, groupId: `g-${deviceId}`, kind, toJSON: () => ({}) }) as MediaDeviceInfo;

export class FakeAudioHelper extends EventEmitter implements SdkAudioHelper {
  availableInputDevices = new Map<string, MediaDeviceInfo>([
    ['default', deviceInfo('default', 'Default', 'audioinput')],
    ['mic-1', deviceInfo('mic-1', 'Jabra Evolve', 'audioinput')],
  ]);
  availableOutputDevices = new Map<string, MediaDeviceInfo>([['default', deviceInfo('default', 'Default', 'audiooutput')]]);
  isOutputSelectionSupported = true;
  inputDevice: MediaDeviceInfo | null = null;
  speakerDevices = new FakeOutputDevices();
  ringtoneDevices = new FakeOutputDevices();
  readonly setInputDevice = jest.fn<Promise<void>, [string]>(async () => undefined);
}

/** PreflightTest: a test emits its events by hand. */
export class FakePreflightTest extends EventEmitter implements SdkPreflightTest {
  callSid: string | undefined = undefined;
  stopped = false;
  constructor(
    readonly token: string,
    readonly options: Record<string, unknown>,
  ) {
    super();
  }
  stop(): void {
    this.stopped = true;
  }
}

export class FakeSdkDevice extends EventEmitter implements SdkDevice {
  static readonly version = '2.18.5-fake';
  static instances: FakeSdkDevice[] = [];
  static preflights: FakePreflightTest[] = [];
  static runPreflight(token: string, options: object = {}): FakePreflightTest {
    const test = new FakePreflightTest(token, options as Record<string, unknown>);
    FakeSdkDevice.preflights.push(test);
    return test;
  }
  state = 'unregistered';
  isBusy = false;
  edge: string | null = 'ashburn';
  readonly audio = new FakeAudioHelper();
  readonly tokens: string[] = [];
  readonly optionUpdates: Record<string, unknown>[] = [];
  readonly connects: { params?: Record<string, string> }[] = [];
  /** What the next connect() resolves to (or rejects with). */
  nextCall: Promise<FakeSdkCall> | null = null;
  registerCalls = 0;
  destroyed = false;
  /** Leave register() pending forever (twilio-voice.js#445). */
  stallRegister = false;

  constructor(
    token: string,
    readonly options: Record<string, unknown> = {},
  ) {
    super();
    this.tokens.push(token);
    FakeSdkDevice.instances.push(this);
  }

  async register(): Promise<void> {
    this.registerCalls += 1;
    if (this.state !== 'unregistered') throw new Error(`InvalidStateError: register in ${this.state}`);
    this.state = 'registering';
    this.emit('registering');
    if (this.stallRegister) return new Promise<void>(() => undefined);
    this.state = 'registered';
    this.emit('registered');
  }
  async unregister(): Promise<void> {
    this.state = 'unregistered';
    this.emit('unregistered');
  }
  updateToken(token: string): void {
    this.tokens.push(token);
  }
  /** Make the next updateOptions throw this (as the SDK does on a destroyed Device). */
  updateOptionsError: Error | null = null;
  updateOptions(options: Record<string, unknown> = {}): void {
    if (this.updateOptionsError) throw this.updateOptionsError;
    // device.js: a changed edge while busy throws InvalidStateError.
    if (this.isBusy && 'edge' in options) throw new Error('InvalidStateError: Cannot change Edge while on an active Call');
    this.optionUpdates.push(options);
  }
  connect(options: { params?: Record<string, string> } = {}): Promise<SdkCall> {
    this.connects.push(options);
    return this.nextCall ?? Promise.resolve(new FakeSdkCall({}));
  }
  destroy(): void {
    this.destroyed = true;
    this.state = 'destroyed';
    this.emit('destroyed');
  }
}

export function fakeSdkModule(): VoiceSdkModule & { Device: typeof FakeSdkDevice } {
  FakeSdkDevice.instances = [];
  FakeSdkDevice.preflights = [];
  return { Device: FakeSdkDevice };
}
