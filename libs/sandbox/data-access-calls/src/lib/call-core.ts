import {
  systemClock,
  type CallLegControl,
  type DialOutcome,
  type DialRequest,
  type DialTarget,
  type LegDetails,
  type LegEndpoint,
  type LegStatus,
  type LegStatusEvent,
  type OriginateRequest,
  type SandboxClock,
  type StatusCallbackRequest,
  type TelephonyCore,
  type TrackedLeg,
} from '@switchboard/sandbox-model';
import { newSid } from './call-sid';
import { LiveLeg, type LegInfo, type LegSignaling } from './live-leg';
import type { AudioPort } from './media-port';
import type { AnsweredParty, OutboundRing, PartyNetwork, RingOutcome } from './party-network';

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
  endedAt?: number;
  readonly events: LegStatusEvent[];
  /** DTMF digits this leg's party sent, in order (the last MAX_KEPT_DIGITS), so tests can see keypad presses arrive. */
  digits: string;
}

const MAX_KEPT_DIGITS = 64;

export interface CallCoreOptions {
  /** Rings SDK clients (implemented by the signaling layer, attached after construction). */
  clients?: PartyNetwork;
  /** Rings phone numbers (the scripted phone network). */
  readonly phones: PartyNetwork;
  readonly clock?: SandboxClock;
  /** How many finished legs `/sandbox/calls` keeps. */
  readonly keepFinished?: number;
}

const FINAL: ReadonlySet<LegStatus> = new Set(['completed', 'busy', 'no-answer', 'canceled', 'failed']);

/** The sandbox's call core: leg registry, `<Dial>` forking and bridging, REST-originated calls. */
export class CallCore implements TelephonyCore {
  private readonly clock: SandboxClock;
  private readonly records = new Map<string, LegRecord>();
  private readonly live = new Map<string, LiveLeg>();
  /** Legs owned elsewhere (simulated inbound callers), by CallSid, while they last. */
  private readonly tracked = new Map<string, CallLegControl>();
  private readonly listeners = new Set<(event: LegStatusEvent) => void>();
  /** Stops the ringing of a not-yet-answered REST call. */
  private readonly pendingCancels = new Map<string, () => void>();

  constructor(private readonly options: CallCoreOptions) {
    this.clock = options.clock ?? systemClock;
  }

  attachClients(clients: PartyNetwork): void {
    this.options.clients = clients;
  }

  onLegStatus(listener: (event: LegStatusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Live and recent legs, newest first, for `GET /sandbox/calls`. */
  listLegs(): readonly LegRecord[] {
    return [...this.records.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  getLeg(callSid: string): LegRecord | undefined {
    return this.records.get(callSid);
  }

  getLiveLeg(callSid: string): LiveLeg | undefined {
    return this.live.get(callSid);
  }

  /** End a leg from outside (REST `Status=completed`, admin); false when it is not live. */
  hangupLeg(callSid: string): boolean {
    const leg = this.live.get(callSid) ?? this.tracked.get(callSid);
    if (!leg) return false;
    leg.hangup();
    return true;
  }

  /** TelephonyCore.trackLeg: a simulated inbound caller gets a record and status events like any leg. */
  trackLeg(leg: CallLegControl, statusCallback?: StatusCallbackRequest): TrackedLeg {
    const { callSid, accountSid, from, to, direction } = leg;
    this.createRecord({ callSid, accountSid, from, to, direction }, 'ringing', undefined, statusCallback);
    this.tracked.set(callSid, leg);
    return {
      answered: () => this.setStatus(callSid, 'in-progress'),
      ended: (reason) => {
        this.tracked.delete(callSid);
        const answered = this.records.get(callSid)?.status === 'in-progress';
        this.finish(callSid, answered ? 'completed' : reason === 'hangup' ? 'canceled' : 'busy');
      },
    };
  }

  /** TelephonyCore.endCall: end a leg whatever its state (REST `Status=completed|canceled`). */
  endCall(callSid: string, status: 'completed' | 'canceled'): boolean {
    if (this.hangupLeg(callSid)) return true;
    const record = this.records.get(callSid);
    if (!record || FINAL.has(record.status)) return false;
    this.pendingCancels.get(callSid)?.();
    this.finish(callSid, status === 'completed' && record.status !== 'in-progress' ? 'canceled' : status);
    return true;
  }

  /**
   * Register a leg whose signaling someone else owns (the SDK caller of an outgoing call). The
   * record starts `ringing`; `answer()` moves it to in-progress.
   */
  startLeg(info: Omit<LegInfo, 'callSid'> & { callSid?: string }, audio: AudioPort, signaling: LegSignaling): LiveLeg {
    const callSid = info.callSid ?? newSid('CA');
    this.createRecord({ ...info, callSid });
    this.setStatus(callSid, 'ringing');
    return this.wrap({ ...info, callSid }, audio, signaling);
  }

  async dial(parent: CallLegControl, request: DialRequest): Promise<DialOutcome> {
    if (parent.ended.aborted) return { status: 'canceled' };
    const attempt = new AbortController();
    const stopOnParentEnd = (): void => attempt.abort();
    parent.ended.addEventListener('abort', stopOnParentEnd, { once: true });
    const rings = request.targets.map((target) => this.ringTarget(parent, target, request.callerId));
    try {
      const winner = await this.firstAnswer(rings, request.timeoutSeconds * 1000, attempt.signal);
      for (const ring of rings) if (ring !== winner.ring) ring.cancel(winner.kind === 'answered' ? 'canceled' : winner.kind);
      if (winner.kind !== 'answered') {
        return { status: winner.kind, dialCallSid: rings.length === 1 ? rings[0].callSid : undefined };
      }
      const child = winner.leg;
      await parent.answer();
      const seconds = await this.bridge(parent, child, request.timeLimitSeconds, attempt.signal);
      return { status: 'completed', dialCallSid: child.callSid, dialCallDurationSeconds: seconds };
    } finally {
      parent.ended.removeEventListener('abort', stopOnParentEnd);
    }
  }

  async originate(request: OriginateRequest): Promise<{ readonly callSid: string }> {
    const callSid = newSid('CA');
    const to = endpointAddress(request.to);
    this.createRecord(
      { callSid, accountSid: request.accountSid, from: request.from, to, direction: 'outbound-api' },
      'queued',
      undefined,
      request.statusCallback,
    );
    this.setStatus(callSid, 'initiated');
    const ring = this.network(request.to).ring({
      callSid,
      accountSid: request.accountSid,
      from: request.from,
      to: request.to,
      parameters: {},
    });
    void ring.ringing.then(() => this.setStatusIfPending(callSid, 'ringing'));
    const timeout = new AbortController();
    this.pendingCancels.set(callSid, () => {
      timeout.abort();
      ring.cancel();
    });
    void this.clock.sleep(request.timeoutSeconds * 1000, timeout.signal).then(() => {
      if (timeout.signal.aborted) return;
      ring.cancel();
      this.pendingCancels.delete(callSid);
      this.finish(callSid, 'no-answer');
    });
    void ring.outcome.then((outcome) => {
      timeout.abort();
      this.pendingCancels.delete(callSid);
      if (this.isFinal(callSid)) {
        if (outcome.kind === 'answered') outcome.party.hangup();
        return;
      }
      if (outcome.kind !== 'answered') return this.finish(callSid, outcomeStatus(outcome.kind));
      const leg = this.legForParty({ callSid, accountSid: request.accountSid, from: request.from, to, direction: 'outbound-api' }, outcome.party);
      request.onAnswered(leg);
    });
    return { callSid };
  }

  private ringTarget(parent: CallLegControl, target: DialTarget, callerId: string | undefined): PendingRing {
    const callSid = newSid('CA');
    const endpoint: LegEndpoint =
      target.kind === 'client' ? { kind: 'client', identity: target.identity } : { kind: 'number', number: target.number };
    const from = target.kind === 'number' ? (callerId ?? parent.from) : parent.from;
    const info: LegInfo = { callSid, accountSid: parent.accountSid, from, to: endpointAddress(endpoint), direction: 'outbound-dial' };
    this.createRecord(info, 'initiated', parent.callSid, target.statusCallback);
    const ring: OutboundRing = this.network(endpoint).ring({
      callSid,
      accountSid: parent.accountSid,
      from,
      to: endpoint,
      parameters: target.kind === 'client' ? target.parameters : {},
    });
    void ring.ringing.then(() => this.setStatusIfPending(callSid, 'ringing'));
    return {
      callSid,
      outcome: ring.outcome,
      toLeg: (party) => this.legForParty(info, party),
      cancel: (status) => {
        ring.cancel();
        if (!this.isFinal(callSid) && this.records.get(callSid)?.status !== 'in-progress') this.finish(callSid, status);
      },
    };
  }

  private firstAnswer(rings: readonly PendingRing[], timeoutMs: number, signal: AbortSignal): Promise<DialWinner> {
    return new Promise<DialWinner>((resolve) => {
      let settled = false;
      const refusals: ('busy' | 'failed')[] = [];
      const timer = new AbortController();
      const settle = (winner: DialWinner): void => {
        if (settled) return;
        settled = true;
        timer.abort();
        resolve(winner);
      };
      void this.clock.sleep(timeoutMs, timer.signal).then(() => {
        if (!timer.signal.aborted) settle({ kind: 'no-answer' });
      });
      signal.addEventListener('abort', () => settle({ kind: 'canceled' }), { once: true });
      if (rings.length === 0) settle({ kind: 'failed' });
      for (const ring of rings) {
        void ring.outcome.then((outcome) => {
          if (settled) {
            if (outcome.kind === 'answered') outcome.party.hangup();
            return;
          }
          if (outcome.kind === 'answered') {
            settle({ kind: 'answered', ring, leg: ring.toLeg(outcome.party) });
            return;
          }
          const status = outcome.kind === 'failed' ? 'failed' : 'busy';
          this.finish(ring.callSid, outcomeStatus(outcome.kind));
          refusals.push(status);
          if (refusals.length === rings.length) settle({ kind: refusals.includes('busy') ? 'busy' : 'failed' });
        });
      }
    });
  }

  /** Audio both ways until either leg ends, the time limit passes or the dial is aborted. */
  private async bridge(parent: CallLegControl, child: LiveLeg, timeLimitSeconds: number | undefined, signal: AbortSignal): Promise<number> {
    const started = this.clock.now();
    const parentLive = this.live.get(parent.callSid);
    const unsubscribes: (() => void)[] = [];
    if (parentLive) {
      unsubscribes.push(parentLive.audio.onFrame((frame) => child.enqueueBridged(frame)));
      unsubscribes.push(child.audio.onFrame((frame) => parentLive.enqueueBridged(frame)));
    } else {
      // A leg the core did not create (the engine's simulated PSTN caller): use its audio tap and play().
      const tap = parent.onAudio?.((frame) => child.enqueueBridged(frame.samples));
      if (tap) unsubscribes.push(tap);
      unsubscribes.push(child.audio.onFrame((frame) => void parent.play({ sampleRate: 8000, samples: Int16Array.from(frame) })));
    }
    const done = new AbortController();
    const stop = (): void => done.abort();
    parent.ended.addEventListener('abort', stop, { once: true });
    child.ended.addEventListener('abort', stop, { once: true });
    signal.addEventListener('abort', stop, { once: true });
    const limitMs = (timeLimitSeconds ?? 4 * 3600) * 1000;
    await this.clock.sleep(limitMs, done.signal);
    unsubscribes.forEach((u) => u());
    parentLive?.clearBridged();
    child.hangup(); // no-op if the child already hung up
    return Math.round((this.clock.now() - started) / 1000);
  }

  private legForParty(info: LegInfo, party: AnsweredParty): LiveLeg {
    const leg = this.wrap(info, party.audio, {
      answer: async () => undefined,
      hangup: () => party.hangup(),
    });
    party.onHangup(() => leg.end());
    leg.markAnswered();
    return leg;
  }

  private wrap(info: LegInfo, audio: AudioPort, signaling: LegSignaling): LiveLeg {
    const leg = new LiveLeg(
      info,
      audio,
      signaling,
      (ended, reason) => {
        this.live.delete(ended.callSid);
        const record = this.records.get(ended.callSid);
        const status: LegStatus =
          record?.status === 'in-progress' ? 'completed' : reason === 'busy' ? 'busy' : reason === 'rejected' ? 'busy' : 'canceled';
        this.finish(ended.callSid, status);
      },
      (answered) => this.setStatus(answered.callSid, 'in-progress'),
    );
    audio.onDigit((digit) => {
      const record = this.records.get(info.callSid);
      if (record) record.digits = (record.digits + digit).slice(-MAX_KEPT_DIGITS);
    });
    this.live.set(info.callSid, leg);
    return leg;
  }

  private network(endpoint: LegEndpoint): PartyNetwork {
    if (endpoint.kind === 'number') return this.options.phones;
    if (!this.options.clients) throw new Error('No client network attached to the call core');
    return this.options.clients;
  }

  private createRecord(info: LegInfo, status?: LegStatus, parentCallSid?: string, statusCallback?: StatusCallbackRequest): void {
    this.records.set(info.callSid, {
      ...info,
      parentCallSid,
      statusCallback,
      status: status ?? 'queued',
      startedAt: this.clock.now(),
      events: [],
      digits: '',
    });
    if (status) this.emit(info.callSid, status);
    this.prune();
  }

  private setStatusIfPending(callSid: string, status: LegStatus): void {
    const record = this.records.get(callSid);
    if (record && (record.status === 'queued' || record.status === 'initiated')) this.setStatus(callSid, status);
  }

  private setStatus(callSid: string, status: LegStatus): void {
    const record = this.records.get(callSid);
    if (!record || FINAL.has(record.status) || record.status === status) return;
    record.status = status;
    if (status === 'in-progress') record.answeredAt = this.clock.now();
    this.emit(callSid, status);
  }

  private finish(callSid: string, status: LegStatus): void {
    const record = this.records.get(callSid);
    if (!record || FINAL.has(record.status)) return;
    record.status = status;
    record.endedAt = this.clock.now();
    const durationSeconds = record.answeredAt ? Math.round((record.endedAt - record.answeredAt) / 1000) : 0;
    this.emit(callSid, status, durationSeconds);
  }

  private isFinal(callSid: string): boolean {
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
    const keep = this.options.keepFinished ?? 200;
    const finished = [...this.records.values()].filter((r) => FINAL.has(r.status));
    for (const record of finished.slice(0, Math.max(0, finished.length - keep))) this.records.delete(record.callSid);
  }
}

interface PendingRing {
  readonly callSid: string;
  readonly outcome: Promise<RingOutcome>;
  toLeg(party: AnsweredParty): LiveLeg;
  cancel(status: LegStatus): void;
}

type DialWinner =
  | { readonly kind: 'answered'; readonly ring: PendingRing; readonly leg: LiveLeg }
  | { readonly kind: 'no-answer' | 'busy' | 'failed' | 'canceled'; readonly ring?: undefined };

function endpointAddress(endpoint: LegEndpoint): string {
  return endpoint.kind === 'client' ? `client:${endpoint.identity}` : endpoint.number;
}

function outcomeStatus(kind: 'busy' | 'failed' | 'rejected'): LegStatus {
  return kind === 'failed' ? 'failed' : 'busy';
}
