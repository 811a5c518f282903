export { PresenceStore, type PresenceReportOutcome } from './lib/presence-store';
export { AgentEligibility, type Eligibility, type EligibleAgent, type SkippedAgent } from './lib/agent-eligibility';
export { PresenceModule } from './lib/presence.module';
