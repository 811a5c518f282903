import type { AudioDevice, AudioEvent, DeviceEvent } from '@switchboard/shared-voice-model';
import { Subscription, throttleTime, type SchedulerLike } from 'rxjs';
import { toSdkError } from './sdk-error';
import { sdkEvent } from './sdk-event';
import type { SdkAudioHelper, SdkCall, SdkDevice } from './sdk-types';

/** Where the Device's events go, and what the adapter wants done about them. */
export interface DeviceListenerSinks {
  readonly emitDevice: (event: DeviceEvent) => void;
  readonly emitAudio: (event: AudioEvent) => void;
  /** The call is one the adapter already follows (its error is reported by the call's own listener). */
  readonly isKnownCall: (call: SdkCall) => boolean;
  readonly incoming: (call: SdkCall) => void;
  /** The SDK destroyed the Device itself (pagehide). */
  readonly destroyedBySdk: () => void;
  readonly volumeThrottleMs: number;
  readonly scheduler: SchedulerLike;
}

function toDevices(map: Map<string, MediaDeviceInfo> | undefined): AudioDevice[] {
  return [...(map?.values() ?? [])].map((d) => ({ deviceId: d.deviceId, label: d.label, groupId: d.groupId }));
}

export function deviceListsEvent(audio: SdkAudioHelper, lostActiveDeviceIds: readonly string[]): AudioEvent {
  return {
    kind: 'devices-changed',
    inputs: toDevices(audio.availableInputDevices),
    outputs: toDevices(audio.availableOutputDevices),
    lostActiveDeviceIds,
    isOutputSelectionSupported: audio.isOutputSelectionSupported,
  };
}

/** Turns the Device's (and its AudioHelper's) events into plain device and audio events; unsubscribe to detach. */
export function listenToDevice(device: SdkDevice, sinks: DeviceListenerSinks): Subscription {
  const subscription = new Subscription();
  const emit = sinks.emitDevice;
  subscription.add(sdkEvent(device, 'registering').subscribe(() => emit({ kind: 'registering' })));
  subscription.add(sdkEvent(device, 'registered').subscribe(() => emit({ kind: 'registered', edge: device.edge ?? null })));
  subscription.add(sdkEvent(device, 'unregistered').subscribe(() => emit({ kind: 'unregistered' })));
  subscription.add(
    sdkEvent(device, 'destroyed').subscribe(() => {
      emit({ kind: 'destroyed' });
      // The SDK destroyed it (pagehide): forget it, so the next register() builds a new one.
      sinks.destroyedBySdk();
    }),
  );
  subscription.add(sdkEvent(device, 'tokenWillExpire').subscribe(() => emit({ kind: 'token-will-expire' })));
  subscription.add(
    sdkEvent<[unknown, SdkCall | undefined]>(device, 'error').subscribe(([error, call]) => {
      // A call's error reaches the call's own listener too; report it once, there.
      if (call && sinks.isKnownCall(call)) return;
      const { code, message } = toSdkError(error);
      emit({ kind: 'error', code, message });
    }),
  );
  subscription.add(sdkEvent<[SdkCall]>(device, 'incoming').subscribe(([call]) => sinks.incoming(call)));
  const audio = device.audio;
  if (audio) {
    subscription.add(
      sdkEvent<[MediaDeviceInfo[]]>(audio, 'deviceChange').subscribe(([lost]) => sinks.emitAudio(deviceListsEvent(audio, (lost ?? []).map((d) => d.deviceId)))),
    );
    subscription.add(
      sdkEvent<[number]>(audio, 'inputVolume')
        .pipe(throttleTime(sinks.volumeThrottleMs, sinks.scheduler, { leading: true, trailing: true }))
        .subscribe(([level]) => sinks.emitAudio({ kind: 'input-volume', level })),
    );
  }
  return subscription;
}
