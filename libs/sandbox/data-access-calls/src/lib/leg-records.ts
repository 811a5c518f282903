import type { CallLegControl, LegDetails, LegStatus, LegStatusEvent, SandboxClock, StatusCallbackRequest } from '@switchboard/sandbox-model';
import type { LegEndedBy, LegInfo } from './live-leg';

export interface LegRecord {
  readonly callSid: string;
  readonly parentCallSid?: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly direction: CallLegControl['direction'];
  readonly statusCallback?: StatusCallbackRequest;
  status: LegStatus;
  readonly startedAt: number;
  answeredAt?: number;
  /** When the party was alerted (an SDK client got its invite, a number rang): post-dial delay is this − startedAt. */
  ringingAt?: number;
  endedAt?: number;
  /** Who ended an answered or ringing leg, when the core saw it (the Call Summary's `disconnected_by`). */
  endedBy?: LegEndedBy;
  readonly events: LegStatusEvent[];
  /** DTMF digits this leg's party sent, in order (the last MAX_KEPT_DIGITS), so tests can see keypad presses arrive. */
  digits: string;
  /**
   * DTMF digits heard in the audio this leg was sent (in-band tones, e.g. keys another conference
   * participant pressed), detected as a phone would; the last MAX_KEPT_DIGITS. A test surface, not Twilio.
   */
  heardDigits: string;
  /**
   * The text of each `<Say>` this leg heard in full from a conference's wait, hold or announce document
   * (what a queued caller was told, e.g. their position), oldest first; the last MAX_KEPT_SPEECH. A test
   * surface, not Twilio: the synthesized audio itself cannot be read back as words.
   */
  heardSpeech: string[];
}

const MAX_KEPT_DIGITS = 64;
const MAX_KEPT_SPEECH = 32;

const FINAL: ReadonlySet<LegStatus> = new Set(['completed', 'busy', 'no-answer', 'canceled', 'failed']);

/**
 * Every leg's record for `GET /sandbox/calls`: its status as it moves (emitted to listeners, once
 * per change, never after a final status), the digits it sent and heard, and the last `keepFinished` ended legs.
 */
export class LegRecords {
  private readonly records = new Map<string, LegRecord>();
  private readonly listeners = new Set<(event: LegStatusEvent) => void>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly keepFinished: number,
  ) {}

  onLegStatus(listener: (event: LegStatusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Newest first. */
  list(): readonly LegRecord[] {
    return [...this.records.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  get(callSid: string): LegRecord | undefined {
    return this.records.get(callSid);
  }

  addDigit(callSid: string, digit: string): void {
    const record = this.records.get(callSid);
    if (record) record.digits = (record.digits + digit).slice(-MAX_KEPT_DIGITS);
  }

  addHeardDigit(callSid: string, digit: string): void {
    const record = this.records.get(callSid);
    if (record) record.heardDigits = (record.heardDigits + digit).slice(-MAX_KEPT_DIGITS);
  }

  addHeardSpeech(callSid: string, text: string): void {
    const record = this.records.get(callSid);
    if (record) record.heardSpeech = [...record.heardSpeech, text].slice(-MAX_KEPT_SPEECH);
  }

  create(info: LegInfo, status?: LegStatus, parentCallSid?: string, statusCallback?: StatusCallbackRequest): void {
    this.records.set(info.callSid, {
      ...info,
      parentCallSid,
      statusCallback,
      status: status ?? 'queued',
      startedAt: this.clock.now(),
      events: [],
      digits: '',
      heardDigits: '',
      heardSpeech: [],
      ...(status === 'ringing' && { ringingAt: this.clock.now() }),
    });
    if (status) this.emit(info.callSid, status);
    this.prune();
  }

  setStatusIfPending(callSid: string, status: LegStatus): void {
    const record = this.records.get(callSid);
    if (record && (record.status === 'queued' || record.status === 'initiated')) this.setStatus(callSid, status);
  }

  setStatus(callSid: string, status: LegStatus): void {
    const record = this.records.get(callSid);
    if (!record || FINAL.has(record.status) || record.status === status) return;
    record.status = status;
    if (status === 'in-progress') record.answeredAt = this.clock.now();
    if (status === 'ringing') record.ringingAt ??= this.clock.now();
    this.emit(callSid, status);
  }

  finish(callSid: string, status: LegStatus): void {
    const record = this.records.get(callSid);
    if (!record || FINAL.has(record.status)) return;
    record.status = status;
    record.endedAt = this.clock.now();
    const durationSeconds = record.answeredAt ? Math.round((record.endedAt - record.answeredAt) / 1000) : 0;
    this.emit(callSid, status, durationSeconds);
  }

  setEndedBy(callSid: string, endedBy: LegEndedBy): void {
    const record = this.records.get(callSid);
    if (record && !FINAL.has(record.status)) record.endedBy ??= endedBy;
  }

  isFinal(callSid: string): boolean {
    const record = this.records.get(callSid);
    return !record || FINAL.has(record.status);
  }

  private emit(callSid: string, status: LegStatus, durationSeconds?: number): void {
    const record = this.records.get(callSid);
    const details: LegDetails | undefined = record && {
      accountSid: record.accountSid,
      from: record.from,
      to: record.to,
      direction: record.direction,
      ...(record.parentCallSid && { parentCallSid: record.parentCallSid }),
      ...(record.statusCallback && { statusCallback: record.statusCallback }),
    };
    const event: LegStatusEvent = {
      callSid,
      status,
      at: this.clock.now(),
      ...(durationSeconds !== undefined && { durationSeconds }),
      ...(details && { details }),
    };
    this.records.get(callSid)?.events.push(event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing listener (e.g. a status-callback writer) must not break the call.
      }
    }
  }

  private prune(): void {
    const keep = this.keepFinished;
    const finished = [...this.records.values()].filter((r) => FINAL.has(r.status));
    for (const record of finished.slice(0, Math.max(0, finished.length - keep))) this.records.delete(record.callSid);
  }
}
