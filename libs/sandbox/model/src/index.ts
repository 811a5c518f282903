export * from './lib/telephony';
