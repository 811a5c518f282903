export * from './lib/tokens.module';
export * from './lib/sliding-window-limiter';
