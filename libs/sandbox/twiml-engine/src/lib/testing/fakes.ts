import {
  CallLegControl,
  DialOutcome,
  DialRequest,
  LegStatusEvent,
  OriginateRequest,
  PcmAudio,
  TelephonyCore,
} from '@switchboard/sandbox-model';
import { encodeWav } from '@switchboard/sandbox-util-audio';
import { newRecordingSid } from '../audio/file-recording-store';
import { RecordingMetadata, RecordingStore, SandboxLogger, SpeechSynthesizer } from '../ports';
import { tone } from '../audio/tone-and-silence';
import { NotifyResult, TwimlFetchResult, WebhookClient, WebhookRequest } from '../webhooks/webhook-client';

/** A TelephonyCore whose `dial` answers from a script the test sets. */
export class FakeTelephonyCore implements TelephonyCore {
  readonly dials: { parent: string; request: DialRequest }[] = [];
  readonly originated: OriginateRequest[] = [];
  readonly ended: { callSid: string; status: string }[] = [];
  dialBehaviour: (parent: CallLegControl, request: DialRequest) => Promise<DialOutcome> = async () => ({
    status: 'completed',
    dialCallSid: 'CA00000000000000000000000000000002',
    dialCallDurationSeconds: 7,
  });
  private readonly listeners = new Set<(event: LegStatusEvent) => void>();
  private nextSid = 100;

  dial(parent: CallLegControl, request: DialRequest): Promise<DialOutcome> {
    this.dials.push({ parent: parent.callSid, request });
    return this.dialBehaviour(parent, request);
  }

  async originate(request: OriginateRequest): Promise<{ callSid: string }> {
    this.originated.push(request);
    return { callSid: `CA${(this.nextSid++).toString(16).padStart(32, '0')}` };
  }

  onLegStatus(listener: (event: LegStatusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  endCall(callSid: string, status: 'completed' | 'canceled'): boolean {
    this.ended.push({ callSid, status });
    return true;
  }

  emit(event: LegStatusEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

/** Serves TwiML from a map (URL without query → body or failure) and records every request. */
export class FakeWebhooks implements WebhookClient {
  readonly requests: WebhookRequest[] = [];
  readonly notifications: WebhookRequest[] = [];
  private readonly documents = new Map<string, TwimlFetchResult | ((request: WebhookRequest) => TwimlFetchResult)>();

  serve(url: string, xml: string | ((request: WebhookRequest) => string)): this {
    this.documents.set(url, typeof xml === 'string' ? { ok: true, body: xml, url } : (request) => ({ ok: true, body: xml(request), url }));
    return this;
  }

  failWith(url: string, code: number, message = 'fails'): this {
    this.documents.set(url, { ok: false, code, message });
    return this;
  }

  async fetchTwiml(request: WebhookRequest): Promise<TwimlFetchResult> {
    this.requests.push(request);
    const document = this.documents.get(request.url);
    if (!document) return { ok: false, code: 11200, message: `no document at ${request.url}` };
    return typeof document === 'function' ? document(request) : document;
  }

  async notify(request: WebhookRequest): Promise<NotifyResult> {
    this.notifications.push(request);
    return { ok: true, status: 204 };
  }

  urls(): string[] {
    return this.requests.map((request) => request.url);
  }
}

export class MemoryRecordingStore implements RecordingStore {
  readonly saved = new Map<string, { metadata: RecordingMetadata; audio: PcmAudio }>();

  async save(recording: { accountSid: string; callSid: string; audio: PcmAudio; dateCreated: number }): Promise<RecordingMetadata> {
    const metadata: RecordingMetadata = {
      sid: newRecordingSid(),
      accountSid: recording.accountSid,
      callSid: recording.callSid,
      durationSeconds: Math.round(recording.audio.samples.length / 8000),
      dateCreated: recording.dateCreated,
      channels: 1,
      source: 'RecordVerb',
      status: 'completed',
    };
    this.saved.set(metadata.sid, { metadata, audio: recording.audio });
    return metadata;
  }

  async get(accountSid: string, recordingSid: string): Promise<{ metadata: RecordingMetadata; wav: Buffer } | undefined> {
    const entry = this.saved.get(recordingSid);
    if (!entry || entry.metadata.accountSid !== accountSid) return undefined;
    return { metadata: entry.metadata, wav: encodeWav(entry.audio) };
  }

  async remove(accountSid: string, recordingSid: string): Promise<boolean> {
    const entry = this.saved.get(recordingSid);
    if (!entry || entry.metadata.accountSid !== accountSid) return false;
    return this.saved.delete(recordingSid);
  }
}

/** Speech as 100 ms of tone per word: durations are predictable in tests. */
export class FakeSpeech implements SpeechSynthesizer {
  readonly spoken: string[] = [];
  async synthesize(text: string): Promise<PcmAudio> {
    this.spoken.push(text);
    return tone(440, 100 * text.split(/\s+/).filter(Boolean).length);
  }
}

/** Collects log lines; `codes()` lists the Twilio error codes logged. */
export class MemoryLogger implements SandboxLogger {
  readonly lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }
  codes(): number[] {
    return this.lines.map((line) => line.fields?.['code']).filter((code): code is number => typeof code === 'number');
  }
}
