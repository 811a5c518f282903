export * from './lib/access-token';
export * from './lib/signaling-log';
export { SignalingServer, createSdkPeers, type SdkPeers, type SignalingOptions } from './lib/signaling-server';
export { MAX_FRAME_BYTES } from './lib/pstream-transport';
export { REJECT_ERRORS, type OutgoingCallRequest } from './lib/sdk-caller-legs';
export type { SdkClientNetwork } from './lib/sdk-client-network';
