export * from './lib/floor.module';
