export * from './lib/twiml.module';
export { SPOKEN, SPOKEN_CAP_REFUSALS } from './lib/call-planner';
export { CallQueue, type QueueRequest } from './lib/queue/call-queue';
export { queuedCustomerPlan } from './lib/queue/queued-customer-plan';
