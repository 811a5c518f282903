import { LegDetails, LegStatus, LegStatusEvent, StatusCallbackRequest, TelephonyCore } from '@switchboard/sandbox-model';
import { SandboxLogger } from '../ports';
import { WebhookClient } from './webhook-client';

const API_VERSION = '2010-04-01';
type CallbackEvent = StatusCallbackRequest['events'][number];

/** Which `statusCallbackEvent` a status belongs to; `queued` has none (Twilio sends nothing). */
function eventOf(status: LegStatus): CallbackEvent | undefined {
  switch (status) {
    case 'initiated':
      return 'initiated';
    case 'ringing':
      return 'ringing';
    case 'in-progress':
      return 'answered';
    case 'completed':
    case 'busy':
    case 'no-answer':
    case 'canceled':
    case 'failed':
      return 'completed';
    default:
      return undefined;
  }
}

/** RFC 2822 as Twilio writes it: `Tue, 24 Nov 2026 12:00:00 +0000`. */
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

/**
 * Posts Twilio's call-progress status callbacks for legs that asked for them, signed, strictly in
 * order per call (one queue per CallSid), with `SequenceNumber` counting from 0 per call and URL.
 * A leg's callback comes from the event's `details.statusCallback` or from `watch()`.
 */
export class StatusCallbackSender {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly watched = new Map<string, LegDetails>();
  private readonly sequence = new Map<string, number>();

  constructor(private readonly deps: { webhooks: WebhookClient; log: SandboxLogger }) {}

  /** Subscribes to every leg status of the core; returns the unsubscribe. */
  attach(core: TelephonyCore): () => void {
    return core.onLegStatus((event) => this.handle(event));
  }

  /** Registers a leg's callback when the core's events do not carry it. */
  watch(callSid: string, details: LegDetails): void {
    this.watched.set(callSid, details);
  }

  handle(event: LegStatusEvent): void {
    const details = event.details?.statusCallback ? event.details : this.watched.get(event.callSid) ?? event.details;
    const callback = details?.statusCallback;
    const callbackEvent = eventOf(event.status);
    if (!details || !callback || !callbackEvent || !callback.events.includes(callbackEvent)) {
      if (callbackEvent === 'completed') this.forget(event.callSid);
      return;
    }
    const key = `${event.callSid} ${callback.url}`;
    const sequenceNumber = this.sequence.get(key) ?? 0;
    this.sequence.set(key, sequenceNumber + 1);
    const params: Record<string, string> = {
      AccountSid: details.accountSid,
      ApiVersion: API_VERSION,
      CallSid: event.callSid,
      CallStatus: event.status,
      CallbackSource: 'call-progress-events',
      Direction: details.direction,
      From: details.from,
      To: details.to,
      Caller: details.from,
      Called: details.to,
      SequenceNumber: String(sequenceNumber),
      Timestamp: rfc2822(event.at),
    };
    if (details.parentCallSid) params['ParentCallSid'] = details.parentCallSid;
    if (callbackEvent === 'completed') {
      const seconds = event.durationSeconds ?? 0;
      params['CallDuration'] = String(seconds);
      // Twilio's `Duration` is billable minutes, rounded up.
      params['Duration'] = String(Math.ceil(seconds / 60));
    }
    this.enqueue(event.callSid, async () => {
      const result = await this.deps.webhooks.notify({ url: callback.url, method: callback.method, params, accountSid: details.accountSid });
      if (!result.ok) {
        this.deps.log.warn(`Twilio warning ${result.code}: status callback failed: ${result.message}`, {
          code: result.code, callSid: event.callSid, url: callback.url,
        });
      }
    });
    if (callbackEvent === 'completed') this.forget(event.callSid);
  }

  /** Resolves when every queued callback (of one call, or all) has been sent. */
  async idle(callSid?: string): Promise<void> {
    if (callSid) {
      await this.queues.get(callSid);
      return;
    }
    while (this.queues.size) await Promise.all([...this.queues.values()]);
  }

  private enqueue(callSid: string, send: () => Promise<void>): void {
    const previous = this.queues.get(callSid) ?? Promise.resolve();
    const next = previous.then(send).catch((error: unknown) => {
      this.deps.log.error('status callback crashed', { callSid, error: String(error) });
    });
    this.queues.set(callSid, next);
    void next.then(() => {
      if (this.queues.get(callSid) === next) this.queues.delete(callSid);
    });
  }

  private forget(callSid: string): void {
    this.watched.delete(callSid);
    for (const key of [...this.sequence.keys()]) if (key.startsWith(`${callSid} `)) this.sequence.delete(key);
  }
}
