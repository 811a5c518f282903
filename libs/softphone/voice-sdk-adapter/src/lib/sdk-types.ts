/**
 * The slice of the Voice SDK the adapter uses, as structural types. The real classes satisfy
 * them (checked at compile time in sdk-types.check.ts); the unit tests' EventEmitter fakes do too.
 * Type-only: nothing here loads the SDK.
 */
export interface SdkEmitter {
  addListener(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
}

export interface SdkTwilioError {
  readonly code: number;
  readonly message: string;
}

export interface SdkOutputDeviceCollection {
  /** The devices in use (issue 14 records their labels). */
  get(): Set<MediaDeviceInfo>;
  set(deviceIdOrIds: string | string[]): Promise<void>;
  test(soundUrl?: string): Promise<void>;
}

export interface SdkAudioHelper extends SdkEmitter {
  readonly availableInputDevices: Map<string, MediaDeviceInfo>;
  readonly availableOutputDevices: Map<string, MediaDeviceInfo>;
  readonly isOutputSelectionSupported: boolean;
  /** The microphone in use; null before one was chosen. */
  readonly inputDevice: MediaDeviceInfo | null;
  readonly speakerDevices: SdkOutputDeviceCollection;
  readonly ringtoneDevices: SdkOutputDeviceCollection;
  setInputDevice(deviceId: string): Promise<void>;
}

export interface SdkCall extends SdkEmitter {
  readonly parameters: Record<string, string>;
  readonly customParameters: Map<string, string>;
  readonly callerInfo: { isVerified: boolean } | null;
  accept(): void;
  reject(): void;
  ignore(): void;
  disconnect(): void;
  mute(shouldMute?: boolean): void;
  sendDigits(digits: string): void;
  sendMessage(message: { content: unknown; contentType?: string; messageType: string }): string;
  status(): string;
  /** The agent's rating to Voice Insights; works after the call ended (it is published, not signalled). */
  postFeedback(score?: number, issue?: string): Promise<void>;
}

export interface SdkDevice extends SdkEmitter {
  readonly state: string;
  /** A call is in progress on this Device. */
  readonly isBusy: boolean;
  readonly edge: string | null;
  readonly audio: SdkAudioHelper | null;
  register(): Promise<void>;
  unregister(): Promise<void>;
  updateToken(token: string): void;
  updateOptions(options?: Record<string, unknown>): void;
  connect(options?: { params?: Record<string, string> }): Promise<SdkCall>;
  destroy(): void;
}

/** The SDK's PreflightTest: events connected, sample, warning, completed(report), failed(error). */
export interface SdkPreflightTest extends SdkEmitter {
  readonly callSid: string | undefined;
  stop(): void;
}

export interface SdkDeviceConstructor {
  new (token: string, options?: Record<string, unknown>): SdkDevice;
  readonly version: string;
  /** `object`: the SDK's PreflightTest.ExtendedOptions (chunderw, rtcConfiguration…) are wider than its public Options. */
  runPreflight(token: string, options?: object): SdkPreflightTest;
}

/** What `import('@twilio/voice-sdk')` must provide. */
export interface VoiceSdkModule {
  readonly Device: SdkDeviceConstructor;
}
