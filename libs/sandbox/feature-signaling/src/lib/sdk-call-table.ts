import type { SdpEndpoint } from '@switchboard/sandbox-data-access-calls';
import type { SandboxClock, SignalingError } from '@switchboard/sandbox-model';
import type { SdkSession, SdkSessions } from './sdk-sessions';

/** A call between the sandbox and one SDK client, either direction, once it is set up. */
export interface SdkCall {
  readonly callSid: string;
  /** The SDK's temporary `TJS…` id of an outgoing call, which it uses until it learns the CallSid. */
  readonly tempId?: string;
  readonly reconnectToken: string;
  readonly endpoint: SdpEndpoint;
  /** The socket the call's signaling runs on; undefined while the SDK is away (held for a reconnect). */
  session: SdkSession | undefined;
  /** Aborted when a reconnect picks the call up again (or it ends) before the hold runs out. */
  hold?: AbortController;
  /** Called when the client hangs up or is lost for good. */
  readonly remoteEnded: () => void;
  ended: boolean;
}

/**
 * The calls the sandbox has with SDK clients, both directions, by CallSid (and TJS id): the
 * in-call messages (reconnect, reinvite, DTMF, hangup) and what a dropped socket does to them.
 */
export class SdkCallTable {
  private readonly calls = new Map<string, SdkCall>();

  constructor(
    private readonly sessions: SdkSessions,
    private readonly clock: SandboxClock,
  ) {}

  add(call: SdkCall): void {
    this.calls.set(call.callSid, call);
    if (call.tempId) this.calls.set(call.tempId, call);
  }

  /** The media endpoint of an SDK leg by CallSid (for stall/packet-loss faults). */
  endpointOf(callSid: string): SdpEndpoint | undefined {
    return this.calls.get(callSid)?.endpoint;
  }

  /** End a call; tell the client (with `error`, if any) unless it is the one that hung up; run `then` once. */
  end(call: SdkCall, tellClient: boolean, then?: () => void, error?: SignalingError): void {
    if (call.ended) return;
    call.ended = true;
    call.hold?.abort();
    if (tellClient && call.session) this.sessions.send(call.session, { type: 'hangup', payload: { callsid: call.callSid, ...(error && { error }) } });
    call.endpoint.close();
    this.calls.delete(call.callSid);
    if (call.tempId) this.calls.delete(call.tempId);
    then?.();
  }

  /** A reconnect `invite` after a signaling drop: the call moves to the new session. */
  reconnect(session: SdkSession, callsid: string, reconnectToken: string): void {
    const call = this.calls.get(callsid);
    if (!call || call.ended || call.reconnectToken !== reconnectToken) {
      this.sessions.send(session, { type: 'hangup', payload: { callsid, error: { code: 31404, message: 'No call to reconnect' } } });
      return;
    }
    call.hold?.abort();
    call.session = session;
    this.sessions.send(session, { type: 'answer', payload: { callsid: call.callSid, reconnect: call.reconnectToken } });
  }

  /** ICE restart: the sandbox's own media endpoint answers the re-offer. */
  async reinvite(session: SdkSession, callsid: string, sdp: string): Promise<void> {
    const call = this.calls.get(callsid);
    if (!call || call.ended) {
      this.sessions.send(session, { type: 'hangup', payload: { callsid } });
      return;
    }
    const answer = await call.endpoint.answer(sdp);
    this.sessions.send(session, { type: 'answer', payload: { callsid: call.callSid, sdp: answer } });
  }

  /** The SDK's fallback while its RTCDTMFSender cannot insert yet (RFC 4733 is detected by the endpoint). */
  dtmf(session: SdkSession, callsid: string, digits: string): void {
    const call = this.calls.get(callsid);
    if (!call || call.ended || call.session !== session) return;
    call.endpoint.receiveSignaledDigits(digits);
  }

  hangup(session: SdkSession, callsid: string): void {
    const call = this.calls.get(callsid);
    if (call && call.session === session) this.end(call, false, call.remoteEnded);
  }

  /** The session's socket closed: each of its calls waits `reconnectTimeout` for the SDK, or ends now. */
  sessionLost(session: SdkSession): void {
    for (const call of new Set(this.calls.values())) {
      if (call.session !== session || call.ended) continue;
      call.session = undefined;
      if (session.reconnectTimeoutSeconds > 0) {
        const hold = (call.hold = new AbortController());
        void this.clock.sleep(session.reconnectTimeoutSeconds * 1000, hold.signal).then(() => {
          if (!hold.signal.aborted) this.end(call, false, call.remoteEnded);
        });
      } else {
        this.end(call, false, call.remoteEnded);
      }
    }
  }

  /** Shutdown: every call ends without telling clients (their sockets are going too). */
  endAll(): void {
    for (const call of new Set(this.calls.values())) this.end(call, false);
  }
}
