export * from './lib/twiml.module';
export { SPOKEN, SPOKEN_CAP_REFUSALS } from './lib/call-planner';
