import {
  newSid,
  type AnsweredParty,
  type MediaEngine,
  type OutboundRing,
  type PartyNetwork,
  type RingOutcome,
  type RingRequest,
  type SdpEndpoint,
} from '@switchboard/sandbox-data-access-calls';
import type { SdkCall, SdkCallTable } from './sdk-call-table';
import type { SdkSession, SdkSessions } from './sdk-sessions';
import type { SandboxLog } from './signaling-log';

/** An incoming call forked to every registration of an identity. */
interface IncomingRing {
  readonly request: RingRequest;
  readonly forks: Map<SdkSession, SdpEndpoint>;
  readonly reconnectToken: string;
  settled: boolean;
  resolve(outcome: RingOutcome): void;
  markRinging(): void;
}

export interface SdkClientNetworkOptions {
  readonly sessions: SdkSessions;
  readonly calls: SdkCallTable;
  readonly media: MediaEngine;
  readonly log: SandboxLog;
}

/**
 * Rings SDK clients for the call core, as the scripted phone network rings numbers: an `invite`
 * forked to every registration of the identity; the first `answer` wins and the others get
 * `cancel`; when every registration rejects, the call is rejected. It keeps no clocks: ring
 * timeouts are the call core's.
 */
export class SdkClientNetwork implements PartyNetwork {
  private readonly rings = new Map<string, IncomingRing>();

  constructor(private readonly options: SdkClientNetworkOptions) {}

  ring(request: RingRequest): OutboundRing {
    let resolveOutcome!: (o: RingOutcome) => void;
    let resolveRinging!: () => void;
    const outcome = new Promise<RingOutcome>((r) => (resolveOutcome = r));
    const ringing = new Promise<void>((r) => (resolveRinging = r));
    const ring: IncomingRing = {
      request,
      forks: new Map(),
      reconnectToken: newSid('RT'),
      settled: false,
      resolve: (o) => {
        if (ring.settled) return;
        ring.settled = true;
        this.rings.delete(request.callSid);
        resolveOutcome(o);
      },
      markRinging: resolveRinging,
    };
    this.rings.set(request.callSid, ring);
    const identity = request.to.kind === 'client' ? request.to.identity : '';
    const targets = this.options.sessions.registeredFor(request.accountSid, identity);
    this.options.log('ring.client', { callSid: request.callSid, identity, registrations: targets.length });
    for (const session of targets) void this.inviteFork(ring, session);
    return {
      ringing,
      outcome,
      cancel: () => {
        if (ring.settled) return;
        ring.settled = true;
        this.rings.delete(request.callSid);
        for (const [session, endpoint] of ring.forks) {
          endpoint.close();
          this.options.sessions.send(session, { type: 'cancel', payload: { callsid: request.callSid } });
        }
        ring.forks.clear();
      },
    };
  }

  /** A registration picked up: it wins the call, every other fork is cancelled. */
  async answer(session: SdkSession, callsid: string, sdp: string): Promise<void> {
    const { sessions, calls } = this.options;
    const ring = this.rings.get(callsid);
    const endpoint = ring?.forks.get(session);
    if (!ring || !endpoint) {
      sessions.send(session, { type: 'hangup', payload: { callsid } });
      return;
    }
    ring.forks.delete(session);
    for (const [other, otherEndpoint] of ring.forks) {
      otherEndpoint.close();
      sessions.send(other, { type: 'cancel', payload: { callsid } });
    }
    ring.forks.clear();
    await endpoint.acceptAnswer(sdp);
    const hangupListeners: (() => void)[] = [];
    const call: SdkCall = {
      callSid: callsid,
      reconnectToken: ring.reconnectToken,
      endpoint,
      session,
      remoteEnded: () => hangupListeners.splice(0).forEach((l) => l()),
      ended: false,
    };
    calls.add(call);
    const party: AnsweredParty = {
      audio: endpoint,
      onHangup: (listener) => (call.ended ? listener() : hangupListeners.push(listener)),
      hangup: () => calls.end(call, true),
    };
    endpoint.onClosed((reason) => {
      if (reason === 'failed') calls.end(call, true, call.remoteEnded);
    });
    ring.resolve({ kind: 'answered', party });
  }

  reject(session: SdkSession, callsid: string): void {
    const ring = this.rings.get(callsid);
    if (ring) this.dropFork(ring, session, 'rejected');
  }

  /** A `hangup` from a registration that is still ringing is a reject; false when no ring of this session has that callsid. */
  hangupWhileRinging(session: SdkSession, callsid: string): boolean {
    const ring = this.rings.get(callsid);
    if (!ring?.forks.has(session)) return false;
    this.dropFork(ring, session, 'rejected');
    return true;
  }

  /** A registration's socket closed: it stops ringing there (the call goes on ringing elsewhere). */
  sessionLost(session: SdkSession): void {
    for (const ring of [...this.rings.values()]) if (ring.forks.has(session)) this.dropFork(ring, session, 'gone');
  }

  private async inviteFork(ring: IncomingRing, session: SdkSession): Promise<void> {
    const { request } = ring;
    const endpoint = this.options.media.createEndpoint(`${request.callSid}/${session.id}`);
    ring.forks.set(session, endpoint);
    const sdp = await endpoint.offer();
    if (ring.settled || ring.forks.get(session) !== endpoint) {
      endpoint.close();
      return;
    }
    const params = new URLSearchParams(request.parameters).toString();
    this.options.sessions.send(session, {
      type: 'invite',
      payload: {
        callsid: request.callSid,
        sdp,
        reconnect: ring.reconnectToken,
        parameters: {
          AccountSid: request.accountSid,
          ApiVersion: '2010-04-01',
          CallSid: request.callSid,
          From: request.from,
          To: request.to.kind === 'client' ? `client:${request.to.identity}` : request.to.number,
          ...(params && { Params: params }),
        },
      },
    });
    ring.markRinging();
  }

  private dropFork(ring: IncomingRing, session: SdkSession, why: 'rejected' | 'gone'): void {
    const endpoint = ring.forks.get(session);
    if (!endpoint) return;
    endpoint.close();
    ring.forks.delete(session);
    // Every registration refused: the call is rejected. A vanished one just stops ringing there.
    if (ring.forks.size === 0 && why === 'rejected') ring.resolve({ kind: 'rejected' });
  }
}
