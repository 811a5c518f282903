export * from './lib/access-token';
export * from './lib/signaling-log';
export * from './lib/signaling-server';
