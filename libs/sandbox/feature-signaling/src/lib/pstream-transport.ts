import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { decode, type InboundMessage, type ListenPayload, type RegisterPayload, type SandboxClock } from '@switchboard/sandbox-model';
import { connectedTtlSeconds, TokenRejected, verifyAccessToken, type ApiKeyCredential, type VerifiedToken } from './access-token';
import type { SdkSession, SdkSessions, SessionSocket } from './sdk-sessions';
import { redactPayload, type SandboxLog } from './signaling-log';

/** The messages about one call; the transport hands them on without looking inside. */
export type CallMessage = Exclude<InboundMessage, { readonly type: 'listen' | 'register' }>;

export interface PStreamTransportOptions {
  readonly sessions: SdkSessions;
  readonly apiKeys: readonly ApiKeyCredential[];
  readonly clock: SandboxClock;
  readonly log: SandboxLog;
  /** The SDK reconnects after 15 s without a frame; 5 s keeps well inside that. */
  readonly heartbeatMs?: number;
  readonly onCallMessage: (session: SdkSession, message: CallMessage) => void | Promise<void>;
  /** A session's socket closed: its rings and calls hear it here. */
  readonly onSessionLost: (session: SdkSession) => void;
}

/** Longest `reconnectTimeout` honoured, as the SDK itself caps it at 30 s. */
const MAX_RECONNECT_SECONDS = 30;
/**
 * Largest WebSocket message accepted (ws's default is 100 MiB). The SDK's largest frames are an
 * `invite` or `reinvite` (an SDP offer of a few kB plus the URL-encoded connect params), a `listen`
 * with its access token (a JWT of a few kB), and call `message`s, whose content Twilio caps at
 * 10 kB (10 000 characters; JSON-escaping can double it). 64 KiB is several times all of these;
 * a larger frame closes that socket with 1009 (Message Too Big), and nothing else.
 */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Lets `error` and `close` reach the SDK before the socket goes. */
const REFUSE_CLOSE_DELAY_MS = 100;

/**
 * PStream over WebSockets: sockets and heartbeats, token sessions (`listen`, `register`, expiry),
 * and the fault hooks that act on sessions. Call messages (`message` included) go to `onCallMessage`.
 */
export class PStreamTransport {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly stopped = new AbortController();
  private readonly sessions: SdkSessions;
  private readonly clock: SandboxClock;
  private readonly log: SandboxLog;
  private refuseUntil = 0;

  constructor(private readonly options: PStreamTransportOptions) {
    ({ sessions: this.sessions, clock: this.clock, log: this.log } = options);
    void this.sendHeartbeats(options.heartbeatMs ?? 5000);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.clock.now() < this.refuseUntil) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  close(): void {
    this.stopped.abort();
    for (const session of this.sessions.all()) session.socket.terminate();
    this.wss.close();
  }

  // ---- Fault hooks ----

  dropSocket(identity: string): number {
    const targets = this.sessions.withIdentity(identity);
    targets.forEach((s) => s.socket.terminate());
    return targets.length;
  }

  stopHeartbeats(identity: string, seconds: number): number {
    const targets = this.sessions.withIdentity(identity);
    targets.forEach((s) => (s.heartbeatsStoppedUntil = this.clock.now() + seconds * 1000));
    return targets.length;
  }

  refuseConnections(seconds: number): void {
    this.refuseUntil = this.clock.now() + seconds * 1000;
  }

  expireToken(identity: string): number {
    const targets = this.sessions.withIdentity(identity);
    targets.forEach((s) => this.expire(s));
    return targets.length;
  }

  // ---- Sockets ----

  private accept(ws: WebSocket): void {
    const socket: SessionSocket = {
      get isOpen() {
        return ws.readyState === WebSocket.OPEN;
      },
      send: (text) => ws.send(text),
      close: () => ws.close(),
      terminate: () => ws.terminate(),
    };
    const session = this.sessions.add(socket);
    this.log('signal.open', { session: session.id });
    ws.on('message', (data) => this.receive(session, rawToString(data)));
    ws.on('close', (code) => this.onClosed(session, code));
    ws.on('error', (error) => this.log('signal.socket-error', { session: session.id, error: error.message }));
  }

  /** One text frame from the SDK (public for unit tests that drive a session without a socket). */
  receive(session: SdkSession, frame: string): void {
    const result = decode(frame);
    switch (result.kind) {
      case 'heartbeat':
        return;
      case 'unknown':
        this.log('signal.unknown-type', { session: session.id, type: result.type });
        return;
      case 'malformed':
        this.log('signal.malformed', { session: session.id, reason: result.reason, bytes: frame.length });
        this.sessions.send(session, result.reply);
        if (result.fatal) this.closeAfterReply(session);
        return;
      case 'message': {
        const { message } = result;
        this.log('signal.in', { session: session.id, identity: session.identity, type: message.type, payload: redactPayload(message.payload) });
        void this.dispatch(session, message).catch((error: unknown) => {
          this.log('signal.handler-error', { session: session.id, type: message.type, error: String(error) });
        });
      }
    }
  }

  private async dispatch(session: SdkSession, message: InboundMessage): Promise<void> {
    switch (message.type) {
      case 'listen':
        return this.onListen(session, message.payload);
      case 'register':
        return this.onRegister(session, message.payload);
      default:
        return this.options.onCallMessage(session, message);
    }
  }

  private onListen(session: SdkSession, payload: ListenPayload): void {
    let token: VerifiedToken;
    try {
      token = verifyAccessToken(payload.token, this.options.apiKeys, this.clock.now() / 1000);
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      this.refuse(session, error.code, error.message);
      return;
    }
    session.token = token;
    session.reconnectTimeoutSeconds = Math.max(0, Math.min(MAX_RECONNECT_SECONDS, payload.reconnectTimeout));
    session.expiry?.abort();
    const expiry = (session.expiry = new AbortController());
    // The session expires at the token's `exp`; the ttl the SDK is told is Twilio's (see connectedTtlSeconds).
    const ttl = connectedTtlSeconds(token, this.clock.now() / 1000);
    void this.clock.sleep(Math.max(0, token.expiresAt * 1000 - this.clock.now()), expiry.signal).then(() => {
      if (!expiry.signal.aborted) this.expire(session);
    });
    // No `home` and no `region`: either would re-point the SDK's Insights host at Twilio.
    this.sessions.send(session, { type: 'connected', payload: { edge: 'sandbox', token: { identity: token.identity, ttl } } });
  }

  private onRegister(session: SdkSession, payload: RegisterPayload): void {
    const token = session.token;
    if (!token) return this.refuse(session, 31204, 'register before listen');
    if (token.expiresAt <= this.clock.now() / 1000) return this.refuse(session, 31205, 'Access token expired');
    if (!payload.media.audio) {
      session.registered = false;
      this.sessions.send(session, { type: 'offline', payload: {} });
      return;
    }
    if (!token.incomingAllowed) {
      this.sessions.send(session, { type: 'error', payload: { error: { code: 31201, message: 'Token has no incoming grant' } } });
      return;
    }
    session.registered = true;
    this.sessions.send(session, { type: 'ready', payload: {} });
  }

  private onClosed(session: SdkSession, code: number): void {
    this.sessions.remove(session);
    session.expiry?.abort();
    this.log('signal.close', { session: session.id, identity: session.identity, code });
    this.options.onSessionLost(session);
  }

  private expire(session: SdkSession): void {
    session.registered = false;
    this.sessions.send(session, { type: 'error', payload: { error: { code: 31205, message: 'Access token expired' } } });
  }

  /** Token errors: `error` then `close`, so a pending `register()`/`connect()` rejects instead of hanging. */
  private refuse(session: SdkSession, code: number, message: string): void {
    this.sessions.send(session, { type: 'error', payload: { error: { code, message } } });
    this.closeAfterReply(session);
  }

  private closeAfterReply(session: SdkSession): void {
    this.sessions.send(session, { type: 'close', payload: {} });
    void this.clock.sleep(REFUSE_CLOSE_DELAY_MS, this.stopped.signal).then(() => session.socket.close());
  }

  private async sendHeartbeats(intervalMs: number): Promise<void> {
    const { signal } = this.stopped;
    while (!signal.aborted) {
      await this.clock.sleep(intervalMs, signal);
      if (signal.aborted) return;
      const now = this.clock.now();
      for (const session of this.sessions.all()) if (now >= session.heartbeatsStoppedUntil) this.sessions.sendHeartbeat(session);
    }
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
