export * from './lib/availability.module';
export { AgentAvailabilityService } from './lib/availability.service';
export { AgentPresenceService } from './lib/agent-presence.service';
export { CallAvailability } from './lib/call-availability';
