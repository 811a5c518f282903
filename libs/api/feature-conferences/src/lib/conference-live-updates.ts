import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { AgentsRepository, CallsRepository, ConferencesRepository, DATABASE, Database, rowsOf } from '@switchboard/api-data-access-db';
import { LiveEventPublisher, participantViews } from '@switchboard/api-data-access-live-events';
import { CallProgressEvents, type CallProgressNotice } from '@switchboard/api-data-access-telephony';
import type { CallParticipantsEvent } from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';

/** A softphone leg of the conference: who it is, and whether it is still in. */
interface AgentLeg {
  readonly callSid: string;
  readonly identity: string;
  readonly current: boolean;
  /** Left when the conference ended (not before). */
  readonly leftAtEnd: boolean;
}

type ConferenceNotice = Extract<CallProgressNotice, { kind: 'conference' }>;

const CLIENT_ADDRESS_SQL = `'^client:[A-Za-z0-9_]{1,121}$'`;

/**
 * Tells the agents of a conference that it changed: after each newly stored conference callback (join,
 * leave, hold, mute, end; duplicates are not announced by CallProgressEvents, so they publish nothing)
 * every agent leg that is in the conference, or has just left it (the leg the callback is about, or
 * everyone the end sent out), gets `call.participants` addressed to its agent only, with the view
 * `GET /api/calls/{callSid}/participants` answers for that leg. A leg no longer in the call gets
 * `controllable: false` and no participants (the route answers it 403: it may no longer see who is in).
 * Runs after the record is committed; a failure is logged and never reaches the callback.
 */
@Injectable()
export class ConferenceLiveUpdates implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ConferenceLiveUpdates');
  private stopListening: (() => void) | null = null;
  /**
   * Per conference, the last publish queued. A conference's publishes run one after another, each
   * reading the record when its turn comes, so the last event an agent receives shows the newest state
   * (two concurrent reads could otherwise deliver an older list last).
   */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly conferences: ConferencesRepository,
    private readonly agents: AgentsRepository,
    private readonly calls: CallsRepository,
    @Optional() private readonly progress?: CallProgressEvents,
    @Optional() private readonly publisher?: LiveEventPublisher,
  ) {}

  onModuleInit(): void {
    if (!this.progress || !this.publisher) return;
    this.stopListening = this.progress.listen((notice) => {
      if (notice.kind === 'conference') this.enqueue(notice);
    });
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  /** Resolves once every publish queued so far has settled. */
  async settled(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  private enqueue(notice: ConferenceNotice): void {
    const { conferenceSid } = notice;
    const previous = this.queues.get(conferenceSid) ?? Promise.resolve();
    const next: Promise<void> = previous
      .then(() => this.publishChange(notice))
      .then(
        () => undefined,
        (error: unknown) => this.logger.error(`call.participants for conference ${conferenceSid} not published: ${String(error)}`),
      )
      .finally(() => {
        if (this.queues.get(conferenceSid) === next) this.queues.delete(conferenceSid);
      });
    this.queues.set(conferenceSid, next);
  }

  /** Publishes the conference's current participants to each agent leg concerned; returns the events sent. */
  async publishChange(notice: Pick<ConferenceNotice, 'conferenceSid' | 'callSid' | 'event'>): Promise<CallParticipantsEvent[]> {
    const publisher = this.publisher;
    if (!publisher) return [];
    const conference = await this.conferences.findConference(notice.conferenceSid);
    if (!conference) return [];
    const legs = (await this.agentLegs(notice.conferenceSid, conference.anchorCallSid))
      .filter((leg) => leg.current || leg.callSid === notice.callSid || (notice.event === 'conference-end' && leg.leftAtEnd));
    if (legs.length === 0) return [];
    const current = conference.status === 'completed' ? [] : await this.conferences.currentParticipants(notice.conferenceSid);
    // The same views as the participants route answers.
    const views = await participantViews({ agents: this.agents, calls: this.calls }, current, conference.anchorCallSid, new Date());
    const sent: CallParticipantsEvent[] = [];
    for (const leg of legs) {
      const data: CallParticipantsEvent = leg.current
        ? { callSid: leg.callSid, controllable: conference.anchorCallSid !== null, participants: views }
        : { callSid: leg.callSid, controllable: false, participants: [] };
      await publisher.publish('call.participants', data, { agents: [leg.identity] });
      sent.push(data);
    }
    return sent;
  }

  /** Every softphone leg the conference has had (the customer's excepted), named as the record names it. */
  private async agentLegs(conferenceSid: string, anchorCallSid: string | null): Promise<AgentLeg[]> {
    const rows = rowsOf(await this.database.db.execute(sql`
      SELECT p.call_sid,
        COALESCE(p.agent_identity,
          CASE WHEN c.from_number ~ ${sql.raw(CLIENT_ADDRESS_SQL)} THEN substr(c.from_number, 8)
               WHEN c.to_number ~ ${sql.raw(CLIENT_ADDRESS_SQL)} THEN substr(c.to_number, 8) END) AS identity,
        (p.left_at IS NULL AND f.status <> 'completed') AS current,
        (f.ended_at IS NOT NULL AND p.left_at = f.ended_at) AS left_at_end
      FROM conference_participants p
      JOIN conferences f ON f.conference_sid = p.conference_sid
      LEFT JOIN calls c ON c.call_sid = p.call_sid
      WHERE p.conference_sid = ${conferenceSid}
      ORDER BY p.joined_at NULLS LAST, p.call_sid`)) as Array<{ call_sid: string; identity: string | null; current: boolean; left_at_end: boolean }>;
    return rows.flatMap((row) => (row.identity === null || row.call_sid === anchorCallSid
      ? []
      : [{ callSid: row.call_sid, identity: row.identity, current: row.current === true, leftAtEnd: row.left_at_end === true }]));
  }
}
