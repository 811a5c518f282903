// Compile-time proof that the real SDK fits the structural types the adapter is written against.
// `import type` is erased: this file adds nothing to any bundle.
import type { Call, Device } from '@twilio/voice-sdk';
import type { SdkCall, SdkDevice, VoiceSdkModule } from './sdk-types';

type Assert<T extends true> = T;
type Fits<A, B> = A extends B ? true : false;

export type RealCallFits = Assert<Fits<Call, SdkCall>>;
export type RealDeviceFits = Assert<Fits<Omit<Device, 'connect' | 'audio'>, Omit<SdkDevice, 'connect' | 'audio'>>>;
export type RealModuleFits = Assert<Fits<{ Device: typeof Device }, VoiceSdkModule>>;
