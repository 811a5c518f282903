export * from './lib/api-data-access-db';
