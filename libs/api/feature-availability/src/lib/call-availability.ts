import { Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConferencesRepository } from '@switchboard/api-data-access-db';
import { CallProgressEvents, type CallProgressNotice } from '@switchboard/api-data-access-telephony';
import { clientIdentity } from '@switchboard/shared-contracts';
import { AgentAvailabilityService } from './availability.service';

type ConferenceNotice = Extract<CallProgressNotice, { kind: 'conference' }>;

/**
 * The call history shows for an anchored conference: `sb-<CallSid>` names the customer's inbound call, or
 * the agent's own phone call whose number was dialled in (feature-twiml's anchorConferenceName, read here
 * as data-access-db's historyCallOf reads it: feature libraries do not import each other). Null otherwise.
 */
export function historyCallOfConference(friendlyName: string): string | null {
  const match = /^sb-(CA[0-9a-f]{32})$/.exec(friendlyName);
  return match ? match[1] : null;
}

/**
 * Availability follows the agent's customer calls (issue 13, item 1): their leg (labelled `client:<identity>`)
 * joining an anchored conference puts them on a call, and leaving it starts wrap-up, keyed by the call history
 * shows, so the disposition is stored with that call: the call naming an `sb-<CallSid>` conference, else
 * (a conference named otherwise) its anchor, the customer's leg, as historyCallOf reads it too. A
 * conference with neither (no customer in it) is no customer call. CallProgressEvents announces each stored callback
 * once, on the instance that stored it; notices of one conference are handled one after another. Before
 * acting, the conference record is asked whether the leg is still in (a join) or the agent has no other
 * leg left in it (a leave), so callbacks stored out of order cannot leave an agent on a call for good.
 * Supervisors' monitoring legs (another label) change nothing.
 */
@Injectable()
export class CallAvailability implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CallAvailability');
  private stopListening: () => void = () => undefined;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly availability: AgentAvailabilityService,
    private readonly conferences: ConferencesRepository,
    @Optional() private readonly progress?: CallProgressEvents,
  ) {}

  onModuleInit(): void {
    if (!this.progress) return;
    this.stopListening = this.progress.listen((notice) => {
      if (notice.kind === 'conference' && (notice.event === 'participant-join' || notice.event === 'participant-leave')) {
        this.enqueue(notice.conferenceSid, () => this.onParticipant(notice));
      }
    });
  }

  onModuleDestroy(): void {
    this.stopListening();
  }

  /** Resolves once every notice queued so far has been handled (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  async onParticipant(notice: Pick<ConferenceNotice, 'conferenceSid' | 'friendlyName' | 'event' | 'callSid' | 'label'>): Promise<void> {
    const identity = clientIdentity(notice.label ?? undefined);
    if (!identity || !notice.callSid) return;
    const callSid = historyCallOfConference(notice.friendlyName) ?? (await this.conferences.findConference(notice.conferenceSid))?.anchorCallSid ?? null;
    if (!callSid) return;
    const current = await this.conferences.currentParticipants(notice.conferenceSid);
    const agentLegs = current.filter((participant) => participant.agentIdentity === identity || participant.label === notice.label);
    if (notice.event === 'participant-join') {
      if (agentLegs.some((participant) => participant.callSid === notice.callSid)) await this.availability.onCallStarted(identity, callSid);
    } else if (agentLegs.length === 0) {
      await this.availability.onCallEnded(identity, callSid);
    }
  }

  private enqueue(key: string, handle: () => Promise<void>): void {
    const next: Promise<void> = (this.queues.get(key) ?? Promise.resolve())
      .then(handle)
      .catch((error: unknown) => this.logger.error(`availability for a call of ${key} not updated: ${(error as Error).message}`))
      .finally(() => {
        if (this.queues.get(key) === next) this.queues.delete(key);
      });
    this.queues.set(key, next);
  }
}
