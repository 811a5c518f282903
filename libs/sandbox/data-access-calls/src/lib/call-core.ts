import {
  type CallLegControl,
  type DialOutcome,
  type DialRequest,
  type DialTarget,
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
import { LegRecords, type LegRecord } from './leg-records';
import type { AnsweredParty, OutboundRing, PartyNetwork, RingOutcome } from './party-network';

export interface CallCoreOptions {
  /** Rings SDK clients (the signaling layer's client network). */
  readonly clients: PartyNetwork;
  /** Rings phone numbers (the scripted phone network). */
  readonly phones: PartyNetwork;
  readonly clock: SandboxClock;
  /** How many finished legs `/sandbox/calls` keeps. */
  readonly keepFinished?: number;
}

/** The sandbox's call core: leg registry, `<Dial>` forking and bridging, REST-originated calls. */
export class CallCore implements TelephonyCore {
  private readonly clock: SandboxClock;
  private readonly records: LegRecords;
  private readonly live = new Map<string, LiveLeg>();
  /** Legs owned elsewhere (simulated inbound callers), by CallSid, while they last. */
  private readonly tracked = new Map<string, CallLegControl>();
  /** Stops the ringing of a not-yet-answered REST call. */
  private readonly pendingCancels = new Map<string, () => void>();

  constructor(private readonly options: CallCoreOptions) {
    this.clock = options.clock;
    this.records = new LegRecords(options.clock, options.keepFinished ?? 200);
  }

  onLegStatus(listener: (event: LegStatusEvent) => void): () => void {
    return this.records.onLegStatus(listener);
  }

  /** Live and recent legs, newest first, for `GET /sandbox/calls`. */
  listLegs(): readonly LegRecord[] {
    return this.records.list();
  }

  /** A `<Say>` the leg heard in full from a conference's wait, hold or announce document (`/sandbox/calls`' heardSpeech). */
  heardSpeech(callSid: string, text: string): void {
    this.records.addHeardSpeech(callSid, text);
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
    this.records.create({ callSid, accountSid, from, to, direction }, 'ringing', undefined, statusCallback);
    this.tracked.set(callSid, leg);
    return {
      answered: () => this.records.setStatus(callSid, 'in-progress'),
      heardDigit: (digit) => this.records.addHeardDigit(callSid, digit),
      ended: (reason, endedBy) => {
        this.tracked.delete(callSid);
        if (endedBy) this.records.setEndedBy(callSid, endedBy);
        const answered = this.records.get(callSid)?.status === 'in-progress';
        this.records.finish(callSid, answered ? 'completed' : reason === 'hangup' ? 'canceled' : 'busy');
      },
    };
  }

  /** TelephonyCore.endCall: end a leg whatever its state (REST `Status=completed|canceled`). */
  endCall(callSid: string, status: 'completed' | 'canceled'): boolean {
    if (this.hangupLeg(callSid)) return true;
    const record = this.records.get(callSid);
    if (!record || this.records.isFinal(callSid)) return false;
    this.pendingCancels.get(callSid)?.();
    this.records.finish(callSid, status === 'completed' && record.status !== 'in-progress' ? 'canceled' : status);
    return true;
  }

  /**
   * Register a leg whose signaling someone else owns (the SDK caller of an outgoing call). The
   * record starts `ringing`; `answer()` moves it to in-progress.
   */
  startLeg(info: Omit<LegInfo, 'callSid'> & { callSid?: string }, audio: AudioPort, signaling: LegSignaling): LiveLeg {
    const callSid = info.callSid ?? newSid('CA');
    this.records.create({ ...info, callSid });
    this.records.setStatus(callSid, 'ringing');
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
    this.records.create(
      { callSid, accountSid: request.accountSid, from: request.from, to, direction: 'outbound-api' },
      'queued',
      undefined,
      request.statusCallback,
    );
    this.records.setStatus(callSid, 'initiated');
    const ring = this.network(request.to).ring({
      callSid,
      accountSid: request.accountSid,
      from: request.from,
      to: request.to,
      parameters: {},
    });
    void ring.ringing.then(() => this.records.setStatusIfPending(callSid, 'ringing'));
    const timeout = new AbortController();
    this.pendingCancels.set(callSid, () => {
      timeout.abort();
      ring.cancel();
    });
    void this.clock.sleep(request.timeoutSeconds * 1000, timeout.signal).then(() => {
      if (timeout.signal.aborted) return;
      ring.cancel();
      this.pendingCancels.delete(callSid);
      this.records.finish(callSid, 'no-answer');
    });
    void ring.outcome.then((outcome) => {
      timeout.abort();
      this.pendingCancels.delete(callSid);
      if (this.records.isFinal(callSid)) {
        if (outcome.kind === 'answered') outcome.party.hangup();
        return;
      }
      if (outcome.kind !== 'answered') return this.records.finish(callSid, outcomeStatus(outcome.kind));
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
    this.records.create(info, 'initiated', parent.callSid, target.statusCallback);
    const ring: OutboundRing = this.network(endpoint).ring({
      callSid,
      accountSid: parent.accountSid,
      from,
      to: endpoint,
      parameters: target.kind === 'client' ? target.parameters : {},
    });
    void ring.ringing.then(() => this.records.setStatusIfPending(callSid, 'ringing'));
    return {
      callSid,
      outcome: ring.outcome,
      toLeg: (party) => this.legForParty(info, party),
      cancel: (status) => {
        ring.cancel();
        if (!this.records.isFinal(callSid) && this.records.get(callSid)?.status !== 'in-progress') this.records.finish(callSid, status);
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
          this.records.finish(ring.callSid, outcomeStatus(outcome.kind));
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
      (ended, reason, endedBy) => {
        this.live.delete(ended.callSid);
        this.records.setEndedBy(ended.callSid, endedBy);
        const record = this.records.get(ended.callSid);
        const status: LegStatus =
          record?.status === 'in-progress' ? 'completed' : reason === 'busy' ? 'busy' : reason === 'rejected' ? 'busy' : 'canceled';
        this.records.finish(ended.callSid, status);
      },
      (answered) => this.records.setStatus(answered.callSid, 'in-progress'),
    );
    audio.onDigit((digit) => {
      this.records.addDigit(info.callSid, digit);
    });
    leg.onHeardDigit((digit) => this.records.addHeardDigit(info.callSid, digit));
    this.live.set(info.callSid, leg);
    return leg;
  }

  private network(endpoint: LegEndpoint): PartyNetwork {
    return endpoint.kind === 'number' ? this.options.phones : this.options.clients;
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
