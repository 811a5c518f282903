export * from './lib/twiml.module';
export { SPOKEN } from './lib/call-planner';
