export * from './lib/pcm';
export * from './lib/wav';
export * from './lib/resample';
export * from './lib/dtmf';
