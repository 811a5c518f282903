import { encode, PSTREAM_HEARTBEAT, type OutboundMessage } from '@switchboard/sandbox-model';
import type { VerifiedToken } from './access-token';
import { redactPayload, type SandboxLog } from './signaling-log';

/** The one thing a session needs from its WebSocket (a fake in unit tests). */
export interface SessionSocket {
  readonly isOpen: boolean;
  send(text: string): void;
  /** Orderly close (after `close` was sent). */
  close(): void;
  /** Drop at once, as a lost network would. */
  terminate(): void;
}

/** One SDK WebSocket: the token it listened with and whether it is registered for incoming calls. */
export class SdkSession {
  token: VerifiedToken | undefined;
  registered = false;
  /** Seconds a live call waits for this SDK to come back after its socket drops (from `listen`). */
  reconnectTimeoutSeconds = 0;
  /** Fault hook: no heartbeats before this time (clock ms). */
  heartbeatsStoppedUntil = 0;
  /** Aborted when a newer `listen` or the socket's end replaces the token's expiry timer. */
  expiry: AbortController | undefined;

  constructor(
    readonly id: number,
    readonly socket: SessionSocket,
  ) {}

  get identity(): string | undefined {
    return this.token?.identity;
  }
}

/**
 * The open SDK sessions: who is registered, and the one way to send them a message. Shared by the
 * transport (which opens and closes sessions) and the call units (which only send and look up).
 */
export class SdkSessions {
  private readonly open = new Set<SdkSession>();
  private nextId = 1;

  constructor(private readonly log: SandboxLog) {}

  add(socket: SessionSocket): SdkSession {
    const session = new SdkSession(this.nextId++, socket);
    this.open.add(session);
    return session;
  }

  remove(session: SdkSession): void {
    this.open.delete(session);
  }

  all(): readonly SdkSession[] {
    return [...this.open];
  }

  withIdentity(identity: string): readonly SdkSession[] {
    return this.all().filter((s) => s.identity === identity);
  }

  /** Sessions an incoming call to `identity` in `accountSid` forks to. */
  registeredFor(accountSid: string, identity: string): readonly SdkSession[] {
    return this.all().filter((s) => s.registered && s.identity === identity && s.token?.accountSid === accountSid);
  }

  /** Registered identities and their session count, for the admin view. */
  registrations(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.open) if (s.registered && s.identity) out[s.identity] = (out[s.identity] ?? 0) + 1;
    return out;
  }

  send(session: SdkSession, message: OutboundMessage): void {
    if (!session.socket.isOpen) return;
    this.log('signal.out', { session: session.id, identity: session.identity, type: message.type, payload: redactPayload(message.payload) });
    session.socket.send(encode(message));
  }

  sendHeartbeat(session: SdkSession): void {
    if (session.socket.isOpen) session.socket.send(PSTREAM_HEARTBEAT);
  }
}
