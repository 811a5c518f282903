/** The adapter over the fake SDK, with every event it emits recorded (for the adapter's specs). */
import { TestBed } from '@angular/core/testing';
import type { ClientConfig } from '@switchboard/shared-contracts';
import type { AudioEvent, CallEvent, DeviceEvent, QualityEvent } from '@switchboard/shared-voice-model';
import { VirtualTimeScheduler, lastValueFrom } from 'rxjs';
import { TwilioVoiceAdapter } from '../twilio-voice-adapter';
import { FakeSdkDevice, fakeSdkModule } from './fake-sdk';
import {
  DEFAULT_VOICE_DEVICE_OPTIONS,
  LOAD_CLIENT_CONFIG,
  LOAD_VOICE_SDK,
  VOICE_ADAPTER_SCHEDULER,
  VOICE_DEVICE_OPTIONS,
  type VoiceDeviceOptions,
} from '../voice-device-options';

export const sandboxConfig: ClientConfig = {
  mode: 'sandbox',
  sandboxSignalingHost: '127.0.0.1:8443',
  sandboxOrigin: 'https://127.0.0.1:8443',
  edge: [],
  logLevel: 'info',
  tokenRefreshMs: 45_000,
  lineTestMaxAgeHours: 24,
};

export function setUp(options: Partial<VoiceDeviceOptions> = {}, config: ClientConfig | null = null) {
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

export const registerOnce = async (adapter: TwilioVoiceAdapter, token = 'token-1') => {
  await lastValueFrom(adapter.register(token), { defaultValue: undefined });
  return FakeSdkDevice.instances[FakeSdkDevice.instances.length - 1];
};

export const flushPromises = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
