import { bigserial, boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/** Drizzle's view of the tables the migrations create. The migrations are the source of truth. */
export const agents = pgTable('agents', {
  id: uuid('id').primaryKey().defaultRandom(),
  identity: text('identity').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role').$type<'agent' | 'supervisor'>().notNull(),
  /** `scrypt$N$r$p$saltB64$hashB64`: parameters travel with the hash, so they can be raised later. */
  passwordHash: text('password_hash').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const sessions = pgTable('sessions', {
  /** SHA-256 of the cookie value: a leaked table does not hand out sessions. */
  tokenHash: text('token_hash').primaryKey(),
  agentId: uuid('agent_id').notNull().references(() => agents.id, { onDelete: 'cascade' }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const ringGroupMembers = pgTable('ring_group_members', {
  groupName: text('group_name').notNull(),
  agentIdentity: text('agent_identity').notNull(),
}, (t) => [primaryKey({ columns: [t.groupName, t.agentIdentity] })]);

/** A called number → one agent (`agent`) or a ring group (`group`). */
export const inboundRoutes = pgTable('inbound_routes', {
  number: text('number').primaryKey(),
  targetKind: text('target_kind').$type<'agent' | 'group'>().notNull(),
  target: text('target').notNull(),
});

/**
 * Not mapped: `reconcile_after`, the reconciler's lease on a non-terminal call (CallsRepository.claimStale
 * reads and writes it in SQL), so a call read through Drizzle is the call, not the reconciler's bookkeeping.
 */
export const calls = pgTable('calls', {
  id: uuid('id').primaryKey().defaultRandom(),
  callSid: text('call_sid').notNull().unique(),
  direction: text('direction').$type<'inbound' | 'outbound'>().notNull(),
  fromNumber: text('from_number').notNull(),
  toNumber: text('to_number').notNull(),
  /** Who a no-answer voicemail belongs to: `agent:<identity>` or `group:<name>`; null when nobody. */
  voicemailTarget: text('voicemail_target'),
  status: text('status').notNull(),
  statusRank: integer('status_rank').notNull(),
  durationSeconds: integer('duration_seconds'),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  endedAt: timestamp('ended_at', { withTimezone: true }),
});

export const callParticipants = pgTable('call_participants', {
  callSid: text('call_sid').notNull(),
  agentIdentity: text('agent_identity').notNull(),
}, (t) => [primaryKey({ columns: [t.callSid, t.agentIdentity] })]);

export const callEvents = pgTable('call_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  callSid: text('call_sid').notNull(),
  callStatus: text('call_status').notNull(),
  /** '' when Twilio sent no SequenceNumber, so the unique key still holds. */
  sequenceNumber: text('sequence_number').notNull(),
  payload: jsonb('payload').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [unique('call_events_once').on(t.callSid, t.callStatus, t.sequenceNumber)]);

export const voicemails = pgTable('voicemails', {
  id: uuid('id').primaryKey().defaultRandom(),
  recordingSid: text('recording_sid').notNull().unique(),
  callSid: text('call_sid').notNull(),
  recordingUrl: text('recording_url').notNull(),
  fromNumber: text('from_number').notNull(),
  /** `agent:<identity>` or `group:<name>`. */
  calledTarget: text('called_target').notNull(),
  durationSeconds: integer('duration_seconds').notNull(),
  heard: boolean('heard').notNull().default(false),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Status and recording callbacks as received, written before they are processed. */
export const callbackInbox = pgTable('callback_inbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kind: text('kind').$type<'status' | 'recording'>().notNull(),
  /** One row per delivery, whatever Twilio's retries: see CallbackInboxRepository. */
  deliveryKey: text('delivery_key').notNull().unique(),
  idempotencyToken: text('idempotency_token'),
  params: jsonb('params').$type<Record<string, string>>().notNull(),
  query: jsonb('query').$type<Record<string, string>>().notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  processedAt: timestamp('processed_at', { withTimezone: true }),
  attempts: integer('attempts').notNull().default(0),
  retryAfter: timestamp('retry_after', { withTimezone: true }),
  lastError: text('last_error'),
});

export const schema = { agents, sessions, ringGroupMembers, inboundRoutes, calls, callParticipants, callEvents, voicemails, callbackInbox };
