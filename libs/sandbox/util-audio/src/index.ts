export * from './lib/pcm';
export * from './lib/wav';
