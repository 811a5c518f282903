import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { CallLegControl } from '@switchboard/sandbox-model';
import {
  newSid,
  type AnsweredParty,
  type CallCore,
  type LiveLeg,
  type MediaEngine,
  type OutboundRing,
  type PartyNetwork,
  type RingOutcome,
  type RingRequest,
  type SdpEndpoint,
} from '@switchboard/sandbox-data-access-calls';
import { TokenRejected, verifyAccessToken, type ApiKeyCredential, type VerifiedToken } from './access-token';
import { redactPayload, type SandboxLog } from './signaling-log';

export interface OutgoingCallRequest {
  /** The SDK caller's leg: run the TwiML App's TwiML on it. */
  readonly leg: CallLegControl;
  readonly applicationSid: string;
  /** `device.connect({params})`, over the token's `outgoing.params`. */
  readonly params: Readonly<Record<string, string>>;
  readonly identity: string;
}

export interface SignalingOptions {
  readonly apiKeys: readonly ApiKeyCredential[];
  readonly applicationExists: (accountSid: string, applicationSid: string) => boolean;
  readonly core: CallCore;
  readonly media: MediaEngine;
  readonly onOutgoingCall: (request: OutgoingCallRequest) => void;
  readonly log: SandboxLog;
  readonly heartbeatMs?: number;
}

const PROTOCOL_VERSION = '1.6';

/**
 * What an SDK caller whose call was never answered receives for `<Reject reason>`: Twilio ends it
 * with the SIP-derived error, which the SDK reports (31603 Decline, 31486 Busy Here).
 */
export const REJECT_ERRORS = {
  rejected: { code: 31603, message: 'Decline' },
  busy: { code: 31486, message: 'Busy Here' },
} as const;

class Session {
  token: VerifiedToken | undefined;
  registered = false;
  reconnectTimeoutSeconds = 0;
  heartbeatsStoppedUntil = 0;
  expiryTimer: NodeJS.Timeout | undefined;

  constructor(readonly id: number, readonly socket: WebSocket) {}

  get identity(): string | undefined {
    return this.token?.identity;
  }
}

/** A call between the sandbox and one SDK client, either direction, after it was set up. */
interface ClientCall {
  readonly callSid: string;
  readonly tempId?: string;
  readonly reconnectToken: string;
  readonly endpoint: SdpEndpoint;
  session: Session | undefined;
  holdTimer?: NodeJS.Timeout;
  /** Called when the client hangs up or is lost for good. */
  readonly remoteEnded: () => void;
  ended: boolean;
}

/** An incoming call forked to every registration of an identity. */
interface IncomingRing {
  readonly request: RingRequest;
  readonly forks: Map<Session, SdpEndpoint>;
  readonly reconnectToken: string;
  settled: boolean;
  resolve(outcome: RingOutcome): void;
  markRinging(): void;
}

/** PStream 1.6 signaling for the unmodified Voice JS SDK, on `wss://…/signal`. */
export class SignalingServer implements PartyNetwork {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();
  private readonly calls = new Map<string, ClientCall>();
  private readonly rings = new Map<string, IncomingRing>();
  private readonly heartbeat: NodeJS.Timeout;
  private nextSessionId = 1;
  private refuseUntil = 0;

  constructor(private readonly options: SignalingOptions) {
    this.heartbeat = setInterval(() => this.sendHeartbeats(), options.heartbeatMs ?? 5000);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (Date.now() < this.refuseUntil) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const session of this.sessions) session.socket.terminate();
    for (const call of this.calls.values()) this.endCall(call, false);
    this.wss.close();
  }

  /** Registered identities and their session count, for the admin view. */
  registrations(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.sessions) if (s.registered && s.identity) out[s.identity] = (out[s.identity] ?? 0) + 1;
    return out;
  }

  // ---- PartyNetwork: ring an SDK client ----

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
    const targets = [...this.sessions].filter((s) => s.registered && s.identity === identity && s.token?.accountSid === request.accountSid);
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
          this.send(session, 'cancel', { callsid: request.callSid });
        }
        ring.forks.clear();
      },
    };
  }

  // ---- Fault hooks ----

  dropSocket(identity: string): number {
    const targets = [...this.sessions].filter((s) => s.identity === identity);
    targets.forEach((s) => s.socket.terminate());
    return targets.length;
  }

  stopHeartbeats(identity: string, seconds: number): number {
    const targets = [...this.sessions].filter((s) => s.identity === identity);
    targets.forEach((s) => (s.heartbeatsStoppedUntil = Date.now() + seconds * 1000));
    return targets.length;
  }

  refuseConnections(seconds: number): void {
    this.refuseUntil = Date.now() + seconds * 1000;
  }

  expireToken(identity: string): number {
    const targets = [...this.sessions].filter((s) => s.identity === identity);
    targets.forEach((s) => this.expire(s));
    return targets.length;
  }

  /** The media endpoint of an SDK leg by CallSid (for stall/packet-loss faults). */
  endpointOf(callSid: string): SdpEndpoint | undefined {
    return this.calls.get(callSid)?.endpoint;
  }

  // ---- Socket handling ----

  private accept(socket: WebSocket): void {
    const session = new Session(this.nextSessionId++, socket);
    this.sessions.add(session);
    this.options.log('signal.open', { session: session.id });
    socket.on('message', (data) => this.receive(session, data));
    socket.on('close', (code) => this.onSocketClosed(session, code));
    socket.on('error', (error) => this.options.log('signal.socket-error', { session: session.id, error: error.message }));
  }

  private receive(session: Session, data: RawData): void {
    const text = rawToString(data);
    if (text === '\n') return; // heartbeat echo
    let message: { type?: unknown; payload?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      this.options.log('signal.bad-frame', { session: session.id, bytes: text.length });
      return;
    }
    const type = typeof message.type === 'string' ? message.type : '';
    const payload = (typeof message.payload === 'object' && message.payload !== null ? message.payload : {}) as Record<string, unknown>;
    this.options.log('signal.in', { session: session.id, identity: session.identity, type, payload: redactPayload(payload) });
    void this.dispatch(session, type, payload).catch((error: unknown) => {
      this.options.log('signal.handler-error', { session: session.id, type, error: String(error) });
    });
  }

  private async dispatch(session: Session, type: string, payload: Record<string, unknown>): Promise<void> {
    switch (type) {
      case 'listen':
        return this.onListen(session, payload);
      case 'register':
        return this.onRegister(session, payload);
      case 'invite':
        return this.onInvite(session, payload);
      case 'answer':
        return this.onAnswer(session, payload);
      case 'reject':
        return this.onReject(session, payload);
      case 'hangup':
        return this.onHangup(session, payload);
      case 'message':
        this.send(session, 'ack', { acktype: 'message', callsid: payload['callsid'], voiceeventsid: payload['voiceeventsid'] });
        return;
      case 'reinvite':
        return this.onReinvite(session, payload);
      case 'dtmf':
        return this.onDtmf(session, payload);
      default:
        this.options.log('signal.unknown-type', { session: session.id, type });
    }
  }

  private onListen(session: Session, payload: Record<string, unknown>): void {
    let token: VerifiedToken;
    try {
      token = verifyAccessToken(payload['token'], this.options.apiKeys, Date.now() / 1000);
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      this.refuse(session, error.code, error.message);
      return;
    }
    session.token = token;
    const timeout = Number(payload['reconnectTimeout']);
    session.reconnectTimeoutSeconds = Number.isFinite(timeout) ? Math.max(0, Math.min(30, timeout)) : 0;
    clearTimeout(session.expiryTimer);
    const ttl = Math.max(0, Math.floor(token.expiresAt - Date.now() / 1000));
    session.expiryTimer = setTimeout(() => this.expire(session), ttl * 1000);
    // No `home` and no `region`: either would re-point the SDK's Insights host at Twilio.
    this.send(session, 'connected', { edge: 'sandbox', token: { identity: token.identity, ttl } });
  }

  private onRegister(session: Session, payload: Record<string, unknown>): void {
    const token = session.token;
    if (!token) return this.refuse(session, 31204, 'register before listen');
    if (token.expiresAt <= Date.now() / 1000) return this.refuse(session, 31205, 'Access token expired');
    const media = payload['media'] as { audio?: unknown } | undefined;
    if (media?.audio === true) {
      if (!token.incomingAllowed) {
        this.send(session, 'error', { error: { code: 31201, message: 'Token has no incoming grant' } });
        return;
      }
      session.registered = true;
      this.send(session, 'ready', {});
    } else {
      session.registered = false;
      this.send(session, 'offline', {});
    }
  }

  private async onInvite(session: Session, payload: Record<string, unknown>): Promise<void> {
    const callsid = String(payload['callsid'] ?? '');
    const sdp = payload['sdp'];
    if (typeof payload['reconnect'] === 'string') return this.onReconnectInvite(session, callsid, payload['reconnect']);
    const token = session.token;
    if (!token || typeof sdp !== 'string' || !callsid) {
      this.send(session, 'hangup', { callsid, error: { code: 31400, message: 'invite needs a token, callsid and sdp' } });
      return;
    }
    if (token.expiresAt <= Date.now() / 1000) {
      this.send(session, 'hangup', { callsid, error: { code: 31205, message: 'Access token expired' } });
      return;
    }
    const applicationSid = token.outgoingApplicationSid;
    if (!applicationSid || !this.options.applicationExists(token.accountSid, applicationSid)) {
      this.send(session, 'hangup', {
        callsid,
        error: { code: 21218, message: `Token has no outgoing grant for a known TwiML App (${applicationSid ?? 'none'})` },
      });
      return;
    }
    const twilio = payload['twilio'] as { params?: unknown } | undefined;
    const clientParams = Object.fromEntries(new URLSearchParams(typeof twilio?.params === 'string' ? twilio.params : ''));
    const params = { ...token.outgoingParams, ...clientParams };
    const callSid = newSid('CA');
    const endpoint = this.options.media.createEndpoint(callSid);
    const answerSdp = await endpoint.answer(sdp);
    const call: ClientCall = {
      callSid,
      tempId: callsid,
      reconnectToken: newSid('RT'),
      endpoint,
      session,
      remoteEnded: () => leg.end(),
      ended: false,
    };
    this.calls.set(callSid, call);
    this.calls.set(callsid, call);
    let answered = false;
    const leg: LiveLeg = this.options.core.startLeg(
      { callSid, accountSid: token.accountSid, from: `client:${token.identity}`, to: params['To'] ?? '', direction: 'inbound' },
      endpoint,
      {
        answer: async () => {
          answered = true;
          if (call.session) this.send(call.session, 'answer', { callsid: callSid, sdp: answerSdp, reconnect: call.reconnectToken });
        },
        hangup: (reason) => this.endCall(call, true, undefined, reason && !answered ? REJECT_ERRORS[reason] : undefined),
      },
    );
    endpoint.onClosed((reason) => {
      if (reason === 'failed') this.endCall(call, true, () => leg.end());
    });
    this.send(session, 'ringing', { callsid: callSid });
    this.options.onOutgoingCall({ leg, applicationSid, params, identity: token.identity });
  }

  private onReconnectInvite(session: Session, callsid: string, reconnectToken: string): void {
    const call = this.calls.get(callsid);
    if (!call || call.ended || call.reconnectToken !== reconnectToken) {
      this.send(session, 'hangup', { callsid, error: { code: 31404, message: 'No call to reconnect' } });
      return;
    }
    clearTimeout(call.holdTimer);
    call.session = session;
    this.send(session, 'answer', { callsid: call.callSid, reconnect: call.reconnectToken });
  }

  private async onAnswer(session: Session, payload: Record<string, unknown>): Promise<void> {
    const callsid = String(payload['callsid'] ?? '');
    const ring = this.rings.get(callsid);
    const endpoint = ring?.forks.get(session);
    if (!ring || !endpoint || typeof payload['sdp'] !== 'string') {
      this.send(session, 'hangup', { callsid });
      return;
    }
    ring.forks.delete(session);
    for (const [other, otherEndpoint] of ring.forks) {
      otherEndpoint.close();
      this.send(other, 'cancel', { callsid });
    }
    ring.forks.clear();
    await endpoint.acceptAnswer(payload['sdp']);
    const hangupListeners: (() => void)[] = [];
    const call: ClientCall = {
      callSid: callsid,
      reconnectToken: ring.reconnectToken,
      endpoint,
      session,
      remoteEnded: () => hangupListeners.splice(0).forEach((l) => l()),
      ended: false,
    };
    this.calls.set(callsid, call);
    const party: AnsweredParty = {
      audio: endpoint,
      onHangup: (listener) => (call.ended ? listener() : hangupListeners.push(listener)),
      hangup: () => this.endCall(call, true),
    };
    endpoint.onClosed((reason) => {
      if (reason === 'failed') this.endCall(call, true, call.remoteEnded);
    });
    ring.resolve({ kind: 'answered', party });
  }

  private onReject(session: Session, payload: Record<string, unknown>): void {
    const ring = this.rings.get(String(payload['callsid'] ?? ''));
    if (!ring) return;
    this.dropFork(ring, session, 'rejected');
  }

  private onHangup(session: Session, payload: Record<string, unknown>): void {
    const callsid = String(payload['callsid'] ?? '');
    const ring = this.rings.get(callsid);
    if (ring?.forks.has(session)) return this.dropFork(ring, session, 'rejected');
    const call = this.calls.get(callsid);
    if (call && call.session === session) this.endCall(call, false, call.remoteEnded);
  }

  /** The SDK's fallback while its RTCDTMFSender cannot insert yet (RFC 4733 is detected by the endpoint). */
  private onDtmf(session: Session, payload: Record<string, unknown>): void {
    const call = this.calls.get(String(payload['callsid'] ?? ''));
    const digits = payload['dtmf'];
    if (!call || call.ended || call.session !== session || typeof digits !== 'string' || digits.length > 64) return;
    call.endpoint.receiveSignaledDigits(digits);
  }

  private async onReinvite(session: Session, payload: Record<string, unknown>): Promise<void> {
    const callsid = String(payload['callsid'] ?? '');
    const call = this.calls.get(callsid);
    if (!call || call.ended || typeof payload['sdp'] !== 'string') {
      this.send(session, 'hangup', { callsid });
      return;
    }
    // ICE restart: the sandbox's own media endpoint answers the re-offer.
    const sdp = await call.endpoint.answer(payload['sdp']);
    this.send(session, 'answer', { callsid: call.callSid, sdp });
  }

  private async inviteFork(ring: IncomingRing, session: Session): Promise<void> {
    const { request } = ring;
    const endpoint = this.options.media.createEndpoint(`${request.callSid}/${session.id}`);
    ring.forks.set(session, endpoint);
    const sdp = await endpoint.offer();
    if (ring.settled || ring.forks.get(session) !== endpoint) {
      endpoint.close();
      return;
    }
    const params = new URLSearchParams(request.parameters).toString();
    this.send(session, 'invite', {
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
    });
    ring.markRinging();
  }

  private dropFork(ring: IncomingRing, session: Session, why: 'rejected' | 'gone'): void {
    const endpoint = ring.forks.get(session);
    if (!endpoint) return;
    endpoint.close();
    ring.forks.delete(session);
    // Every registration refused: the call is rejected. A vanished one just stops ringing there.
    if (ring.forks.size === 0 && why === 'rejected') ring.resolve({ kind: 'rejected' });
  }

  /** End a client call; tell the client (with `error`, if any) unless it is the one that hung up; run `then` once. */
  private endCall(call: ClientCall, tellClient: boolean, then?: () => void, error?: { code: number; message: string }): void {
    if (call.ended) return;
    call.ended = true;
    clearTimeout(call.holdTimer);
    if (tellClient && call.session) this.send(call.session, 'hangup', { callsid: call.callSid, ...(error && { error }) });
    call.endpoint.close();
    this.calls.delete(call.callSid);
    if (call.tempId) this.calls.delete(call.tempId);
    then?.();
  }

  private onSocketClosed(session: Session, code: number): void {
    this.sessions.delete(session);
    clearTimeout(session.expiryTimer);
    this.options.log('signal.close', { session: session.id, identity: session.identity, code });
    for (const ring of [...this.rings.values()]) if (ring.forks.has(session)) this.dropFork(ring, session, 'gone');
    for (const call of new Set(this.calls.values())) {
      if (call.session !== session || call.ended) continue;
      call.session = undefined;
      if (session.reconnectTimeoutSeconds > 0) {
        // Hold the call for the client's reconnectTimeout; a reconnect `invite` picks it up again.
        call.holdTimer = setTimeout(() => this.endCall(call, false, call.remoteEnded), session.reconnectTimeoutSeconds * 1000);
      } else {
        this.endCall(call, false, call.remoteEnded);
      }
    }
  }

  private expire(session: Session): void {
    session.registered = false;
    this.send(session, 'error', { error: { code: 31205, message: 'Access token expired' } });
  }

  /** Token errors: `error` then `close`, so a pending `register()`/`connect()` rejects instead of hanging. */
  private refuse(session: Session, code: number, message: string): void {
    this.send(session, 'error', { error: { code, message } });
    this.send(session, 'close', {});
    setTimeout(() => session.socket.close(), 100).unref();
  }

  private send(session: Session, type: string, payload: Record<string, unknown>): void {
    if (session.socket.readyState !== WebSocket.OPEN) return;
    this.options.log('signal.out', { session: session.id, identity: session.identity, type, payload: redactPayload(payload) });
    session.socket.send(JSON.stringify({ type, version: PROTOCOL_VERSION, payload }));
  }

  private sendHeartbeats(): void {
    const now = Date.now();
    for (const session of this.sessions) {
      if (session.socket.readyState === WebSocket.OPEN && now >= session.heartbeatsStoppedUntil) session.socket.send('\n');
    }
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
