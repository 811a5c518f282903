export * from './lib/mulaw';
export * from './lib/tones';
export * from './lib/dtmf';
export * from './lib/sdk-sounds';
export * from './lib/frame-pacer';
export * from './lib/webrtc-endpoint';
export * from './lib/rtp-stats';
export * from './lib/media-stats-registry';
