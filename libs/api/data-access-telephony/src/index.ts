export * from './lib/api-data-access-telephony';
