import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { AgentsRepository, CallsRepository, ConferencesRepository, type CurrentParticipant } from '@switchboard/api-data-access-db';
import { ConferenceCommandError, ConferenceCommands, type MediaSource } from '@switchboard/api-data-access-telephony';
import type { CallParticipantsResponse, HoldResponse } from '@switchboard/shared-contracts';
import { CallAnchors, type CallAnchor } from './call-anchors';
import { CallControlException, CallControlUnavailable, callGone, notAParticipant } from './call-control-errors';
import { participantViews } from '@switchboard/api-data-access-live-events';

/** A direct call has no conference to hold the customer in (the softphone shows no hold button for it). */
export const notControllable = () =>
  new CallControlException(HttpStatus.CONFLICT, 'target-unavailable', 'This call is not anchored in a conference, so it cannot be held');

/** How long a 503 asks the softphone to wait before it tries again. */
export const CALL_CONTROL_RETRY_AFTER_SECONDS = 5;

/** A call the signed-in agent may act on: its conference, live, with the agent in it now. */
export interface AuthorizedCall {
  readonly anchor: CallAnchor;
  readonly current: readonly CurrentParticipant[];
}

/**
 * Call control of a customer call anchored in a conference, for the agents in it. Identity comes from the
 * session only; the conference record (built from the signed callbacks) decides who is in the call now.
 */
@Injectable()
export class CallControl {
  private readonly logger = new Logger('CallControl');

  constructor(
    private readonly anchors: CallAnchors,
    private readonly conferences: ConferencesRepository,
    private readonly calls: CallsRepository,
    private readonly agents: AgentsRepository,
    private readonly commands: ConferenceCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The participants of the agent's call, for the in-call view; a call in no conference is not controllable.
   * A leg dialled into a conference whose join callback is not stored yet reads as such a call too: the
   * answer is not final (the join's `call.participants`, from ConferenceLiveUpdates, reaches the agent
   * addressed by this leg, and the softphone asks again), so no "not yet" answer is added to the contract.
   */
  async participants(identity: string, callSid: string): Promise<CallParticipantsResponse> {
    return this.guarded(async () => {
      const authorized = await this.authorize(identity, callSid);
      if (authorized === 'direct') return { callSid, controllable: false, participants: [] };
      const { anchor, current } = authorized;
      const now = new Date();
      return {
        callSid,
        controllable: anchor.anchorCallSid !== null,
        participants: await participantViews({ agents: this.agents, calls: this.calls }, current, anchor.anchorCallSid, now),
      };
    });
  }

  /**
   * Holds (the customer hears HOLD_MUSIC_URL, or the provider's music, and hears nothing of the agents) or
   * resumes the customer. Idempotent: the command is always sent (the record may lag the provider), and
   * holding a held customer answers its hold's original start once the callbacks have told of it.
   */
  async hold(identity: string, callSid: string, hold: boolean): Promise<HoldResponse> {
    return this.guarded(async () => {
      const authorized = await this.authorize(identity, callSid);
      if (authorized === 'direct') throw notControllable();
      const { anchor, current } = authorized;
      const customer = anchor.anchorCallSid;
      if (customer === null || !current.some((p) => p.callSid === customer)) throw callGone('The caller is no longer on this call');
      const music: MediaSource | undefined = this.config.calls.holdMusicUrl === null ? undefined : { absoluteUrl: this.config.calls.holdMusicUrl };
      const answered = await this.commands.setHold(anchor.conferenceSid, customer, hold, hold ? music : undefined);
      const heldSince = answered.hold ? ((await this.anchors.heldSince(anchor.conferenceSid, customer)) ?? new Date()) : null;
      this.logger.log(`${identity} ${answered.hold ? 'held' : 'resumed'} the caller of conference ${anchor.conferenceSid}`);
      return { callSid, held: answered.hold, heldSince: heldSince?.toISOString() ?? null };
    });
  }

  /**
   * 404 when the call is unknown or was never the agent's (its existence is not revealed); 410 when the
   * agent's own call has ended; 403 when the agent's own leg is named but the agent has left the call
   * (after a transfer, say): the contract's not-a-participant, told apart as it describes. 'direct': the
   * agent's own call, live, in no conference (nothing to control).
   */
  async authorize(identity: string, callSid: string): Promise<AuthorizedCall | 'direct'> {
    const anchor = await this.anchors.find(callSid);
    if (!anchor) {
      const direct = await this.anchors.directCall(identity, callSid);
      if (direct === 'live') return 'direct';
      if (direct === 'ended') throw callGone();
      throw notAParticipant(HttpStatus.NOT_FOUND);
    }
    const current = anchor.status === 'completed' ? [] : await this.conferences.currentParticipants(anchor.conferenceSid);
    if (current.some((p) => p.agentIdentity === identity && p.callSid !== anchor.anchorCallSid)) return { anchor, current };
    if (anchor.legIdentity !== identity) throw notAParticipant(HttpStatus.NOT_FOUND);
    if (anchor.status === 'completed') throw callGone();
    throw notAParticipant(HttpStatus.FORBIDDEN);
  }

  /** Telephony and database failures become the contract's answers; nothing else escapes as a 5xx. */
  async guarded<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (error instanceof HttpException) throw error;
      if (error instanceof ConferenceCommandError) throw this.fromTelephony(error);
      this.logger.error(`call control failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new CallControlUnavailable('Call control is unavailable right now; try again shortly', CALL_CONTROL_RETRY_AFTER_SECONDS);
    }
  }

  private fromTelephony(error: ConferenceCommandError): HttpException {
    switch (error.failure) {
      case 'telephony-unavailable':
        return new CallControlUnavailable('The telephony provider is not answering; try again shortly', CALL_CONTROL_RETRY_AFTER_SECONDS);
      case 'conference-gone':
      case 'participant-gone':
      case 'call-gone':
      case 'not-connected':
        return callGone('The caller is no longer on this call');
      case 'rejected':
        // Our request as made was refused (e.g. the provider cannot use HOLD_MUSIC_URL): not the agent's doing, not retryable.
        this.logger.error(`the telephony provider refused a call-control command: ${error.message}`);
        return new CallControlException(HttpStatus.CONFLICT, 'target-unavailable', 'The telephony provider refused this; tell your administrator');
    }
  }
}
