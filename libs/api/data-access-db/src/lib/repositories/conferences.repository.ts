import { Inject, Injectable } from '@nestjs/common';
import { sql, type SQL } from 'drizzle-orm';
import { DATABASE, Database, rowsOf } from '../database';

export type ConferenceStatus = 'init' | 'in-progress' | 'completed';

/** One conference status callback as stored: its SequenceNumber orders it within its conference. */
export interface ConferenceEvent {
  readonly conferenceSid: string;
  readonly sequenceNumber: number;
  /** Twilio's StatusCallbackEvent, e.g. `participant-join`. */
  readonly event: string;
  /** The participant's call; null for conference-start and conference-end. */
  readonly callSid: string | null;
  /** Twilio's Timestamp (the receipt time when it was missing or unreadable). */
  readonly at: Date;
  readonly payload: Readonly<Record<string, string>>;
}

export interface ConferenceState {
  readonly friendlyName: string;
  /** The customer call the conference anchors; null until its participant is known. */
  readonly anchorCallSid: string | null;
  readonly status: ConferenceStatus;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
  readonly reasonEnded: string | null;
  readonly callSidEndingConference: string | null;
  readonly lastSequence: number;
}

export interface ParticipantState {
  readonly callSid: string;
  readonly label: string | null;
  /** The agent when the participant is a softphone (`client:<identity>`) leg, as the callbacks told it. */
  readonly agentIdentity: string | null;
  readonly joinedAt: Date | null;
  readonly leftAt: Date | null;
  readonly hold: boolean;
  readonly muted: boolean;
  readonly coaching: boolean;
  readonly endConferenceOnExit: boolean;
  readonly lastSequence: number;
}

export interface ConferenceProjection {
  readonly conference: ConferenceState;
  readonly participants: readonly ParticipantState[];
}

/** Builds a conference's record from all of its events (the feature lib owns the rules). */
export type ConferenceProjector = (events: readonly ConferenceEvent[]) => ConferenceProjection;

/** 'stored' = new event, record rebuilt; 'duplicate' = that SequenceNumber was already stored, nothing changed. */
export type ConferenceEventOutcome = 'stored' | 'duplicate';

/** A current participant, for the in-call participant list. */
export interface CurrentParticipant {
  readonly callSid: string;
  readonly label: string | null;
  /** From the callbacks, else from the participant's call record (`client:<identity>` as its From or To). */
  readonly agentIdentity: string | null;
  readonly joinedAt: Date | null;
  readonly hold: boolean;
  readonly muted: boolean;
  readonly coaching: boolean;
}

export interface ConferenceRecord extends ConferenceState {
  readonly conferenceSid: string;
}

const CLIENT_ADDRESS_SQL = `'^client:[A-Za-z0-9_]{1,121}$'`;

/**
 * The conference record. `applyEvent` stores each callback once (unique conference SID + SequenceNumber)
 * and rebuilds the conference and its participants from all of its stored events, under a lock on the
 * conference row: concurrent callbacks of one conference are applied one at a time, and each rebuild
 * sees every event committed before it, so the record depends on the set of events only, never on
 * their arrival order or on duplicates.
 */
@Injectable()
export class ConferencesRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async applyEvent(event: ConferenceEvent, project: ConferenceProjector): Promise<ConferenceEventOutcome> {
    return this.database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO conferences (conference_sid) VALUES (${event.conferenceSid}) ON CONFLICT (conference_sid) DO NOTHING`);
      await tx.execute(sql`SELECT 1 FROM conferences WHERE conference_sid = ${event.conferenceSid} FOR UPDATE`);
      const inserted = rowsOf(await tx.execute(sql`
        INSERT INTO conference_events (conference_sid, sequence_number, event, call_sid, event_at, payload)
        VALUES (${event.conferenceSid}, ${event.sequenceNumber}, ${event.event}, ${event.callSid}, ${event.at.toISOString()},
                ${JSON.stringify(event.payload)}::jsonb)
        ON CONFLICT ON CONSTRAINT conference_events_once DO NOTHING
        RETURNING id`));
      if (inserted.length === 0) return 'duplicate';
      const stored = (rowsOf(await tx.execute(sql`
        SELECT sequence_number, event, call_sid, event_at, payload FROM conference_events
        WHERE conference_sid = ${event.conferenceSid} ORDER BY sequence_number`)) as EventRow[]).map((row) => toEvent(event.conferenceSid, row));
      const { conference, participants } = project(stored);
      await tx.execute(sql`
        UPDATE conferences SET friendly_name = ${conference.friendlyName}, anchor_call_sid = ${conference.anchorCallSid},
          status = ${conference.status}, started_at = ${iso(conference.startedAt)}, ended_at = ${iso(conference.endedAt)},
          reason_ended = ${conference.reasonEnded}, call_sid_ending = ${conference.callSidEndingConference},
          last_sequence = ${conference.lastSequence}, updated_at = now()
        WHERE conference_sid = ${event.conferenceSid}`);
      if (participants.length > 0) await tx.execute(upsertParticipants(event.conferenceSid, participants));
      return 'stored';
    });
  }

  async findConference(conferenceSid: string): Promise<ConferenceRecord | undefined> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT * FROM conferences WHERE conference_sid = ${conferenceSid}`)) as ConferenceRow[];
    return row ? toConference(row) : undefined;
  }

  /** The conference that anchors the customer call `callSid`, the newest if it was anchored more than once. */
  async findByAnchorCall(callSid: string): Promise<ConferenceRecord | undefined> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT * FROM conferences WHERE anchor_call_sid = ${callSid} ORDER BY created_at DESC, conference_sid LIMIT 1`)) as ConferenceRow[];
    return row ? toConference(row) : undefined;
  }

  /** Who is in the conference now (joined, not left), in order of joining; none once it has ended. */
  async currentParticipants(conferenceSid: string): Promise<CurrentParticipant[]> {
    const rows = rowsOf(await this.database.db.execute(sql`
      SELECT p.call_sid, p.label, ${resolvedIdentity()} AS agent_identity, p.joined_at, p.hold, p.muted, p.coaching
      FROM conference_participants p
      JOIN conferences f ON f.conference_sid = p.conference_sid
      LEFT JOIN calls c ON c.call_sid = p.call_sid
      WHERE p.conference_sid = ${conferenceSid} AND p.left_at IS NULL AND f.status <> 'completed'
      ORDER BY p.joined_at NULLS LAST, p.call_sid`)) as ParticipantRow[];
    return rows.map((row) => ({
      callSid: row.call_sid, label: row.label, agentIdentity: row.agent_identity, joinedAt: date(row.joined_at),
      hold: row.hold, muted: row.muted, coaching: row.coaching,
    }));
  }

  /**
   * Whether agent `identity` is a current participant of a live conference anchoring the customer call
   * `anchorCallSid`: the authorization question for hold, transfer and the participant list.
   */
  async isCurrentParticipant(identity: string, anchorCallSid: string): Promise<boolean> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT EXISTS (
        SELECT 1 FROM conferences f
        JOIN conference_participants p ON p.conference_sid = f.conference_sid
        LEFT JOIN calls c ON c.call_sid = p.call_sid
        WHERE f.anchor_call_sid = ${anchorCallSid} AND f.status <> 'completed' AND p.left_at IS NULL
          AND ${resolvedIdentity()} = ${identity}
      ) AS member`)) as Array<{ member: boolean }>;
    return row.member === true;
  }
}

/** The identity the callbacks gave, else the `client:` address of the participant's call record (joined as `c`). */
function resolvedIdentity(): SQL {
  return sql.raw(`COALESCE(p.agent_identity,
    CASE WHEN c.from_number ~ ${CLIENT_ADDRESS_SQL} THEN substr(c.from_number, 8)
         WHEN c.to_number ~ ${CLIENT_ADDRESS_SQL} THEN substr(c.to_number, 8) END)`);
}

function upsertParticipants(conferenceSid: string, participants: readonly ParticipantState[]): SQL {
  const values = participants.map((p) => sql`(${conferenceSid}, ${p.callSid}, ${p.label}, ${p.agentIdentity}, ${iso(p.joinedAt)}::timestamptz,
    ${iso(p.leftAt)}::timestamptz, ${p.hold}, ${p.muted}, ${p.coaching}, ${p.endConferenceOnExit}, ${p.lastSequence})`);
  return sql`
    INSERT INTO conference_participants (conference_sid, call_sid, label, agent_identity, joined_at, left_at, hold, muted, coaching,
      end_conference_on_exit, last_sequence)
    VALUES ${sql.join(values, sql`, `)}
    ON CONFLICT (conference_sid, call_sid) DO UPDATE SET
      label = excluded.label, agent_identity = excluded.agent_identity, joined_at = excluded.joined_at, left_at = excluded.left_at,
      hold = excluded.hold, muted = excluded.muted, coaching = excluded.coaching, end_conference_on_exit = excluded.end_conference_on_exit,
      last_sequence = excluded.last_sequence, updated_at = now()`;
}

interface EventRow { sequence_number: number | string; event: string; call_sid: string | null; event_at: Date | string; payload: unknown }

interface ConferenceRow {
  conference_sid: string; friendly_name: string; anchor_call_sid: string | null; status: ConferenceStatus;
  started_at: Date | string | null; ended_at: Date | string | null; reason_ended: string | null; call_sid_ending: string | null;
  last_sequence: number | string;
}

interface ParticipantRow {
  call_sid: string; label: string | null; agent_identity: string | null; joined_at: Date | string | null; hold: boolean; muted: boolean; coaching: boolean;
}

function toEvent(conferenceSid: string, row: EventRow): ConferenceEvent {
  const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) as unknown : row.payload;
  return {
    conferenceSid, sequenceNumber: Number(row.sequence_number), event: row.event, callSid: row.call_sid, at: new Date(row.event_at),
    payload: typeof payload === 'object' && payload !== null ? payload as Record<string, string> : {},
  };
}

function toConference(row: ConferenceRow): ConferenceRecord {
  return {
    conferenceSid: row.conference_sid, friendlyName: row.friendly_name, anchorCallSid: row.anchor_call_sid, status: row.status,
    startedAt: date(row.started_at), endedAt: date(row.ended_at), reasonEnded: row.reason_ended,
    callSidEndingConference: row.call_sid_ending, lastSequence: Number(row.last_sequence),
  };
}

const iso = (value: Date | null) => (value === null ? null : value.toISOString());
const date = (value: Date | string | null) => (value === null ? null : new Date(value));
