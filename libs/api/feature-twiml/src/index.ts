export * from './lib/twiml.module';
export { SPOKEN } from './lib/call-planner';
export { formParam, clientIdentity, IDENTITY_PATTERN } from './lib/webhook-params';
