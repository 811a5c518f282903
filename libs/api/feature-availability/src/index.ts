export * from './lib/availability.module';
export { AgentAvailabilityService } from './lib/availability.service';
