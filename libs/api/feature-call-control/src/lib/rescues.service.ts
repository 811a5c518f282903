import { randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { CallsRepository, ConferencesRepository, RescuesRepository, type RescueRecord } from '@switchboard/api-data-access-db';
import { LiveEventPublisher, maskNumber } from '@switchboard/api-data-access-live-events';
import { ConferenceCommandError, ConferenceCommands, type WebhookTarget } from '@switchboard/api-data-access-telephony';
import {
  CALL_CONTROL_EVENTS, REJOIN_PARAM, WEBHOOK_ROUTES, type RejoinableCall, type RejoinableCallsResponse, type RejoinResponse,
} from '@switchboard/shared-contracts';
import { callGone, notAParticipant } from './call-control-errors';

/** The `to` of the call the softphone places to rejoin: the outgoing webhook reads REJOIN_PARAM, not a number. */
export const REJOIN_TO = 'rejoin';

/** What the held customer hears while the agent may rejoin: a short message, then music (rescue-hold.controller.ts). */
export const RESCUE_HOLD: WebhookTarget = { path: WEBHOOK_ROUTES.rescueHold };

/**
 * Where an unrescued customer goes: the `<Dial action>` webhook with `anchor=unanswered`, which plans the
 * routed target's voicemail (the way AgentRinging sends an anchored customer nobody answered; the value is
 * feature-twiml's ANCHOR_UNANSWERED_QUERY, repeated here as feature libraries do not import each other).
 */
export const RESCUE_VOICEMAIL: WebhookTarget = { path: WEBHOOK_ROUTES.dialComplete, query: { anchor: 'unanswered' } };

/** How many expired rescues one tick claims; the rest wait for the next tick (or another instance). */
export const RESCUE_EXPIRY_BATCH = 20;

/** What the leave listener knows when it opens a rescue. */
export interface DroppedLeg {
  readonly conferenceSid: string;
  readonly customerCallSid: string;
  readonly identity: string;
  readonly droppedCallSid: string;
}

/**
 * Rescue of a customer whose agent dropped out of the conference without hanging up (issue 12, item 4):
 * the customer is held with a message and music, the agent is told (`call.rescue-available`) and may
 * rejoin within RESCUE_WINDOW_SECONDS; after that one instance sends the customer to voicemail. The
 * rescue record (RescuesRepository) is the only state, and each of its changes is made by one
 * conditional update, so whichever instance sees a callback or a tick acts once.
 */
@Injectable()
export class CallRescues {
  private readonly logger = new Logger('CallRescues');

  constructor(
    private readonly rescues: RescuesRepository,
    private readonly conferences: ConferencesRepository,
    private readonly calls: CallsRepository,
    private readonly commands: ConferenceCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // Optional as for ConferenceLiveUpdates: without the bus the rescue still holds the customer.
    @Optional() private readonly publisher?: LiveEventPublisher,
  ) {}

  /** Opens the rescue of a dropped leg, holds the customer and tells the agent; undefined when one was already open. */
  async open(dropped: DroppedLeg, now = new Date()): Promise<RescueRecord | undefined> {
    const opened = await this.rescues.open({
      rescueId: randomUUID(), ...dropped, customerDisplay: await this.customerDisplay(dropped.customerCallSid),
      openedAt: now, expiresAt: new Date(now.getTime() + this.config.calls.rescueWindowSeconds * 1000),
    });
    if (opened === 'exists') return undefined;
    this.logger.log(`${dropped.identity} dropped out of conference ${dropped.conferenceSid}: the caller is held for a rejoin until ${opened.expiresAt.toISOString()}`);
    try {
      await this.commands.setHold(dropped.conferenceSid, dropped.customerCallSid, true, { webhook: RESCUE_HOLD });
    } catch (error) {
      if (isGone(error)) {
        await this.rescues.markEnded(dropped.conferenceSid, new Date());
        return undefined;
      }
      // Telephony did not answer: the customer waits unheld (in silence) but the window and voicemail still apply.
      this.logger.error(`Could not hold the caller of conference ${dropped.conferenceSid} for a rescue: ${(error as Error).message}`);
    }
    await this.publisher?.publish(CALL_CONTROL_EVENTS.rescueAvailable, { rejoinable: toRejoinable(opened) }, { agents: [opened.identity] })
      .catch((error: unknown) => this.logger.error(`call.rescue-available not published: ${(error as Error).message}`));
    return opened;
  }

  async rejoinable(identity: string, now = new Date()): Promise<RejoinableCallsResponse> {
    return { calls: (await this.rescues.listOpenFor(identity, now)).map(toRejoinable) };
  }

  /**
   * Admits the agent back into the call their leg `droppedCallSid` dropped out of: 404 when it is no
   * rescue of theirs (its existence is not revealed), 410 once it closed or its window passed. The call
   * the softphone then places is admitted again by the outgoing webhook (RescuesRepository.admitRejoin).
   */
  async rejoin(identity: string, droppedCallSid: string, now = new Date()): Promise<RejoinResponse> {
    const rescue = await this.rescues.findByDroppedCall(droppedCallSid);
    if (!rescue || rescue.identity !== identity) throw notAParticipant(HttpStatus.NOT_FOUND);
    if (rescue.state !== 'open' || rescue.expiresAt.getTime() <= now.getTime()) throw callGone('The caller is no longer waiting for you');
    const conference = await this.conferences.findConference(rescue.conferenceSid);
    if (!conference || conference.status === 'completed') throw callGone('The caller is no longer waiting for you');
    return { callSid: droppedCallSid, to: REJOIN_TO, params: { [REJOIN_PARAM]: rescue.rescueId } };
  }

  /** The agent's new leg joined their conference: the rescue is over, the customer is resumed. */
  async onAgentJoined(conferenceSid: string, identity: string, now = new Date()): Promise<RescueRecord | undefined> {
    const rejoined = await this.rescues.markRejoined(conferenceSid, identity, now);
    if (!rejoined) return undefined;
    this.logger.log(`${identity} rejoined conference ${conferenceSid}: the caller is resumed`);
    try {
      await this.commands.setHold(conferenceSid, rejoined.customerCallSid, false);
    } catch (error) {
      if (!isGone(error)) this.logger.error(`Could not resume the caller of conference ${conferenceSid} after a rejoin: ${(error as Error).message}`);
    }
    return rejoined;
  }

  /** The customer left (hung up) or the conference ended: an open rescue of it is over. */
  async onCustomerGone(conferenceSid: string, now = new Date()): Promise<RescueRecord | undefined> {
    return this.rescues.markEnded(conferenceSid, now);
  }

  /**
   * Sends the customers whose rescue window passed to voicemail; each rescue is claimed by exactly one
   * caller, whichever instance. Telephony not answering reopens it, so the next tick tries again.
   */
  async expireDue(now = new Date()): Promise<RescueRecord[]> {
    const claimed = await this.rescues.claimExpired(now, RESCUE_EXPIRY_BATCH);
    const sent: RescueRecord[] = [];
    for (const rescue of claimed) {
      try {
        await this.commands.redirectCall(rescue.customerCallSid, RESCUE_VOICEMAIL);
        this.logger.log(`Nobody rejoined conference ${rescue.conferenceSid}: the caller is sent to voicemail`);
        sent.push(rescue);
      } catch (error) {
        if (isGone(error)) {
          // Gone, or a call that cannot be redirected (a leg the API dialled over REST has no TwiML to leave
          // for): nobody rejoined and voicemail is out of reach, so the call is ended rather than held for good.
          await this.commands.completeConference(rescue.conferenceSid).catch(() => undefined);
          await this.rescues.endClaimed(rescue.rescueId, now);
          continue;
        }
        this.logger.error(`Could not send the caller of conference ${rescue.conferenceSid} to voicemail: ${(error as Error).message}`);
        if (error instanceof ConferenceCommandError && error.retryable) await this.rescues.reopen(rescue.rescueId);
      }
    }
    return sent;
  }

  /** As participant views show the customer: the masked number, else "Caller". */
  private async customerDisplay(customerCallSid: string): Promise<string> {
    const record = await this.calls.findBySid(customerCallSid);
    const number = record ? (record.direction === 'inbound' ? record.from : record.to) : null;
    return number !== null && /^\+\d{6,15}$/.test(number) ? maskNumber(number) : 'Caller';
  }
}

export function toRejoinable(rescue: RescueRecord): RejoinableCall {
  return { callSid: rescue.droppedCallSid, customerDisplay: rescue.customerDisplay, expiresAt: rescue.expiresAt.toISOString() };
}

/** The call or conference is already over: nothing to hold, resume or redirect. */
function isGone(error: unknown): boolean {
  return error instanceof ConferenceCommandError
    && (error.failure === 'conference-gone' || error.failure === 'participant-gone' || error.failure === 'call-gone' || error.failure === 'not-connected');
}
