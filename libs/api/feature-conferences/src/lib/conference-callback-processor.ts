import { Injectable, Logger, Optional } from '@nestjs/common';
import { CallbackInboxRepository, ConferencesRepository, type PendingCallback } from '@switchboard/api-data-access-db';
import { CallProgressEvents } from '@switchboard/api-data-access-telephony';
import { parseConferenceCallback } from './conference-callback-params';
import { projectConference } from './conference-projection';

/** Inbox `query` key holding when the callback was received: the event's time when its Timestamp is unreadable. */
export const RECEIVED_AT_KEY = 'receivedAt';

/**
 * Applies a stored conference callback to the conference record and marks its inbox row done. Called by
 * the callback's own request right after the row was written, and by the sweep for rows left pending;
 * both are safe to repeat (the event's unique key makes a second application a no-op).
 */
@Injectable()
export class ConferenceCallbackProcessor {
  private readonly logger = new Logger('ConferenceCallbackProcessor');

  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly conferences: ConferencesRepository,
    @Optional() private readonly progress?: CallProgressEvents,
  ) {}

  /** A failure leaves the row pending (and counted) for the sweep, and is thrown to the caller. */
  async processStored(row: PendingCallback): Promise<void> {
    try {
      await this.apply(row);
    } catch (error) {
      await this.inbox.markFailed(row.id, (error as Error).message).catch(() => undefined);
      throw error;
    }
    await this.inbox.markProcessed(row.id);
  }

  private async apply(row: PendingCallback): Promise<void> {
    const receivedAt = new Date(row.query[RECEIVED_AT_KEY] ?? Number.NaN);
    const parsed = parseConferenceCallback(row.params, Number.isFinite(receivedAt.getTime()) ? receivedAt : new Date());
    // Rows are validated before they are written; one that no longer parses is dropped, with its reason.
    if (!parsed.ok) {
      this.logger.warn(`Conference callback ${row.id} not applied: ${parsed.reason}`);
      return;
    }
    const { conferenceSid, sequenceNumber, event } = parsed.event;
    const outcome = await this.conferences.applyEvent(parsed.event, projectConference);
    if (outcome === 'duplicate') {
      this.logger.log(`Duplicate conference event ${event} #${sequenceNumber} of ${conferenceSid} ignored`);
      return;
    }
    // Announced once, after it is stored: whoever drives the call (the ringing of agents) reacts to it.
    const { payload, callSid } = parsed.event;
    this.progress?.publish({
      kind: 'conference', conferenceSid, friendlyName: payload['FriendlyName'] ?? '', event, callSid, label: payload['ParticipantLabel'] || null,
    });
  }
}
