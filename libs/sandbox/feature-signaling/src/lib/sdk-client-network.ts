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
import type { ReconnectInvite } from '@switchboard/sandbox-model';
import { encodeParamsForSdk } from './client-params';
import { MovableAudioPort } from './movable-audio-port';
import { dtlsFingerprint, type SdkCall, type SdkCallTable } from './sdk-call-table';
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
        this.cancelForks(ring);
      },
    };
  }

  /** A registration picked up: it wins the call, every other fork is cancelled. */
  async answer(session: SdkSession, callsid: string, sdp: string): Promise<void> {
    const ring = this.rings.get(callsid);
    const endpoint = ring?.forks.get(session);
    if (!ring || !endpoint) {
      this.options.sessions.send(session, { type: 'hangup', payload: { callsid } });
      return;
    }
    ring.forks.delete(session);
    this.cancelForks(ring);
    await endpoint.acceptAnswer(sdp);
    this.connect(ring, session, endpoint, sdp);
  }

  /**
   * An `invite` with a reconnect token: `device.connect({ connectToken })` from another Device (a
   * new peer connection) takes over a ringing call, or moves an answered one; anything else is the
   * SDK's own signaling reconnect of a call it still holds.
   */
  async reconnect(session: SdkSession, invite: ReconnectInvite): Promise<void> {
    const { calls, media, sessions } = this.options;
    const { callsid, reconnect, sdp } = invite;
    const ring = this.rings.get(callsid);
    const sameAccount = (accountSid: string): boolean => session.token?.accountSid === accountSid;
    if (ring && sdp !== undefined && ring.reconnectToken === reconnect && sameAccount(ring.request.accountSid)) {
      // Ringing: the new Device answers in the SDK's place (Twilio connects it and cancels every ringing fork).
      const endpoint = media.createEndpoint(`${callsid}/${session.id}`);
      const answerSdp = await endpoint.answer(sdp);
      if (ring.settled) {
        endpoint.close();
        sessions.send(session, { type: 'hangup', payload: { callsid, error: { code: 31404, message: 'No call to reconnect' } } });
        return;
      }
      this.cancelForks(ring);
      this.connect(ring, session, endpoint, sdp);
      sessions.send(session, { type: 'answer', payload: { callsid, sdp: answerSdp, reconnect: ring.reconnectToken } });
      return;
    }
    const call = calls.find(callsid);
    const fingerprint = dtlsFingerprint(sdp);
    if (call?.audio && sdp !== undefined && fingerprint && fingerprint !== call.peerFingerprint && call.reconnectToken === reconnect) {
      // Answered, offered from a peer connection the call does not run on: it moves there.
      const endpoint = media.createEndpoint(`${call.callSid}/${session.id}`);
      const answerSdp = await endpoint.answer(sdp);
      if (call.ended) {
        endpoint.close();
        sessions.send(session, { type: 'hangup', payload: { callsid, error: { code: 31404, message: 'No call to reconnect' } } });
        return;
      }
      this.endOnMediaFailure(call, endpoint);
      calls.moveToPeer(call, session, endpoint, answerSdp, fingerprint);
      return;
    }
    calls.reconnect(session, callsid, reconnect);
  }

  /** The ring is answered by `session` on `endpoint`: the call joins the call table and the core gets its party. */
  private connect(ring: IncomingRing, session: SdkSession, endpoint: SdpEndpoint, peerSdp: string): void {
    const callsid = ring.request.callSid;
    const hangupListeners: (() => void)[] = [];
    const audio = new MovableAudioPort(endpoint);
    const call: SdkCall = {
      callSid: callsid,
      reconnectToken: ring.reconnectToken,
      endpoint,
      audio,
      peerFingerprint: dtlsFingerprint(peerSdp),
      session,
      remoteEnded: () => hangupListeners.splice(0).forEach((l) => l()),
      ended: false,
    };
    this.options.calls.add(call);
    const party: AnsweredParty = {
      audio,
      onHangup: (listener) => (call.ended ? listener() : hangupListeners.push(listener)),
      hangup: () => this.options.calls.end(call, true),
    };
    this.endOnMediaFailure(call, endpoint);
    ring.resolve({ kind: 'answered', party });
  }

  /** ICE/DTLS failure of the endpoint the call runs on ends it (a replaced endpoint's end does not). */
  private endOnMediaFailure(call: SdkCall, endpoint: SdpEndpoint): void {
    endpoint.onClosed((reason) => {
      if (reason === 'failed' && call.endpoint === endpoint) this.options.calls.end(call, true, call.remoteEnded);
    });
  }

  /** Every fork still ringing stops: its endpoint closes and its Device gets `cancel`. */
  private cancelForks(ring: IncomingRing): void {
    for (const [other, otherEndpoint] of ring.forks) {
      otherEndpoint.close();
      this.options.sessions.send(other, { type: 'cancel', payload: { callsid: ring.request.callSid } });
    }
    ring.forks.clear();
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
    const params = encodeParamsForSdk(request.parameters);
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
