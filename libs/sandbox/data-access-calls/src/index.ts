export * from './lib/media-port';
export * from './lib/party-network';
export * from './lib/live-leg';
export * from './lib/call-core';
export * from './lib/leg-records';
export * from './lib/call-sid';
export * from './lib/scripted-phone-network';
