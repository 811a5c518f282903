import type { SdpEndpoint } from '@switchboard/sandbox-data-access-calls';
import type { OutboundMessage } from '@switchboard/sandbox-model';
import type { VerifiedToken } from '../lib/access-token';
import type { SdkSession, SdkSessions, SessionSocket } from '../lib/sdk-sessions';

/** Test doubles for the signaling units' unit tests (excluded from the lib build). */

type PayloadOf<T extends OutboundMessage['type']> = Extract<OutboundMessage, { type: T }>['payload'];

/** A socket that records what the sandbox sent, decoded. */
export class RecordingSocket implements SessionSocket {
  isOpen = true;
  readonly frames: string[] = [];
  closed = false;
  terminated = false;

  send(text: string): void {
    this.frames.push(text);
  }
  close(): void {
    this.closed = true;
    this.isOpen = false;
  }
  terminate(): void {
    this.terminated = true;
    this.isOpen = false;
  }

  get messages(): OutboundMessage[] {
    return this.frames.filter((f) => f !== '\n').map((f) => JSON.parse(f) as OutboundMessage);
  }
  get heartbeats(): number {
    return this.frames.filter((f) => f === '\n').length;
  }
  /** Messages of one type, payloads only. */
  sent<T extends OutboundMessage['type']>(type: T): PayloadOf<T>[] {
    return this.messages.filter((m) => m.type === type).map((m) => m.payload) as unknown as PayloadOf<T>[];
  }
}

export const ACCOUNT_SID = 'AC' + '1'.repeat(32);

export function tokenFor(identity: string, overrides: Partial<VerifiedToken> = {}): VerifiedToken {
  return {
    identity,
    accountSid: ACCOUNT_SID,
    apiKeySid: 'SK' + '1'.repeat(32),
    expiresAt: Number.MAX_SAFE_INTEGER,
    incomingAllowed: true,
    outgoingApplicationSid: 'AP' + '1'.repeat(32),
    outgoingParams: {},
    ...overrides,
  };
}

/** A session that already listened (and registered, unless told otherwise). */
export function openSession(
  sessions: SdkSessions,
  identity: string,
  options: { registered?: boolean; reconnectTimeoutSeconds?: number; token?: Partial<VerifiedToken> } = {},
): { session: SdkSession; socket: RecordingSocket } {
  const socket = new RecordingSocket();
  const session = sessions.add(socket);
  session.token = tokenFor(identity, options.token);
  session.registered = options.registered ?? true;
  session.reconnectTimeoutSeconds = options.reconnectTimeoutSeconds ?? 0;
  return { session, socket };
}

/** Just enough of an SDP endpoint for signaling: records what it was asked, no RTP. */
export class FakeEndpoint {
  closed = false;
  acceptedAnswer: string | undefined;
  readonly signaledDigits: string[] = [];
  private readonly closedListeners: ((reason: 'closed' | 'failed') => void)[] = [];

  constructor(readonly label: string) {}

  answer = async (offer: string): Promise<string> => `answer-to:${offer}`;
  offer = async (): Promise<string> => `offer-from:${this.label}`;
  acceptAnswer = async (sdp: string): Promise<void> => {
    this.acceptedAnswer = sdp;
  };
  receiveSignaledDigits = (digits: string): void => void this.signaledDigits.push(digits);
  onClosed = (listener: (reason: 'closed' | 'failed') => void): (() => void) => {
    this.closedListeners.push(listener);
    return () => undefined;
  };
  fail(): void {
    this.closedListeners.forEach((l) => l('failed'));
  }
  close = (): void => {
    this.closed = true;
  };
  onFrame = (): (() => void) => () => undefined;
  onDigit = (): (() => void) => () => undefined;
  setSource = (): void => undefined;
  stall = (): void => undefined;
  lose = (): void => undefined;
}

/** A media engine that hands out FakeEndpoints and remembers them by label. */
export class FakeMedia {
  readonly endpoints = new Map<string, FakeEndpoint>();
  createEndpoint = (label: string): SdpEndpoint => {
    const endpoint = new FakeEndpoint(label);
    this.endpoints.set(label, endpoint);
    return endpoint;
  };
}
