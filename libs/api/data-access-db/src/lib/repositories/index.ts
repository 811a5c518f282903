export * from './agents.repository';
export * from './sessions.repository';
export * from './routing.repository';
export * from './calls.repository';
export * from './voicemails.repository';
export * from './outbound-call-caps.repository';
export * from './callback-inbox.repository';
export * from './retention.repository';
