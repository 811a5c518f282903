export { PresenceStore, type PresenceReportOutcome } from './lib/presence-store';
export { AgentEligibility, type Eligibility, type EligibleAgent, type SkippedAgent } from './lib/agent-eligibility';
export { AgentSignOuts, type SignOutListener } from './lib/agent-sign-outs';
export { PresenceModule, createPresenceStore } from './lib/presence.module';
export { MemoryPresenceStore } from './lib/memory-presence-store';
export { RedisPresenceStore, type RedisPresenceStoreOptions } from './lib/redis-presence-store';
export { REASON_ORDER } from './lib/reachability';
