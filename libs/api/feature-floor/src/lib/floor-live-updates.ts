import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { LiveEventPublisher } from '@switchboard/api-data-access-live-events';
import { CallProgressEvents, type CallProgressNotice } from '@switchboard/api-data-access-telephony';
import { clientIdentity, FLOOR_EVENTS, isTerminalCallStatus, type CallStatus } from '@switchboard/shared-contracts';
import { FloorQueries, monitorIdentityOf } from './floor-queries';
import { FloorService } from './floor.service';
import { modeOf, MonitorService } from './monitor.service';

type ConferenceNotice = Extract<CallProgressNotice, { kind: 'conference' }>;

/**
 * Keeps the board live from the provider's callbacks, as each instance stores them (CallProgressEvents
 * announces a callback once, on the instance that stored it, so each event is published once):
 * - an agent's leg joining or leaving an anchored conference → `floor.call` with their current call;
 * - an inbound call answered or ended → `floor.counts` (today's counts, read afresh);
 * - a supervisor's `monitor:` leg joining or leaving → `call.monitor` to them and the agents on the call.
 * Notices of one conference are handled one after another, so the last event shows the newest state.
 * Runs after the record is committed; a failure is logged and never reaches the callback.
 */
@Injectable()
export class FloorLiveUpdates implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('FloorLiveUpdates');
  private stopListening: () => void = () => undefined;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly floor: FloorService,
    private readonly queries: FloorQueries,
    private readonly monitors: MonitorService,
    @Optional() private readonly progress?: CallProgressEvents,
    @Optional() private readonly publisher?: LiveEventPublisher,
  ) {}

  onModuleInit(): void {
    if (!this.progress || !this.publisher) return;
    this.stopListening = this.progress.listen((notice) => {
      if (notice.kind === 'conference') this.enqueue(notice.conferenceSid, () => this.onConference(notice));
      else if (isTerminalCallStatus(notice.callStatus as CallStatus)) this.enqueue(notice.callSid, () => this.onCallEnded(notice.callSid));
    });
  }

  onModuleDestroy(): void {
    this.stopListening();
  }

  /** Resolves once every notice queued so far has been handled (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  private enqueue(key: string, handle: () => Promise<void>): void {
    const next: Promise<void> = (this.queues.get(key) ?? Promise.resolve())
      .then(handle)
      .catch((error: unknown) => this.logger.error(`board update for ${key} not published: ${(error as Error).message}`))
      .finally(() => {
        if (this.queues.get(key) === next) this.queues.delete(key);
      });
    this.queues.set(key, next);
  }

  async onConference(notice: Pick<ConferenceNotice, 'conferenceSid' | 'event' | 'callSid' | 'label'>): Promise<void> {
    if (notice.event !== 'participant-join' && notice.event !== 'participant-leave') return;
    const supervisor = monitorIdentityOf(notice.label);
    if (supervisor !== null) return this.onMonitorLeg(notice.conferenceSid, notice.callSid, supervisor, notice.event === 'participant-join');
    const identity = clientIdentity(notice.label ?? undefined);
    if (!identity) return;
    await this.publishCall(identity);
    if (notice.event === 'participant-join') {
      // An agent's join may answer an inbound call: today's counts move.
      const call = (await this.queries.currentCalls([identity])).get(identity);
      if (call && call.conferenceSid === notice.conferenceSid && await this.queries.isInbound(call.customerCallSid)) await this.publishCounts();
    }
  }

  /** An inbound call ended: answered, missed and abandoned are final for it now. */
  async onCallEnded(callSid: string): Promise<void> {
    if (await this.queries.isInbound(callSid)) await this.publishCounts();
  }

  private async onMonitorLeg(conferenceSid: string, callSid: string | null, supervisor: string, joined: boolean): Promise<void> {
    const call = await this.queries.callIn(conferenceSid);
    if (!call) return; // the conference ended: the agents' own call end tells them
    const leg = call.monitors.find((monitor) => monitor.callSid === callSid);
    if (joined && !leg) return; // left again before this was handled: its leave publishes
    await this.monitors.publish(call, supervisor, joined && leg ? modeOf(leg) : null);
  }

  private async publishCall(identity: string): Promise<void> {
    const call = await this.floor.callOf(identity);
    await this.publisher?.publish(FLOOR_EVENTS.call, { identity, call }, { supervisors: true });
  }

  private async publishCounts(): Promise<void> {
    await this.publisher?.publish(FLOOR_EVENTS.counts, await this.floor.counts(), { supervisors: true });
  }
}
