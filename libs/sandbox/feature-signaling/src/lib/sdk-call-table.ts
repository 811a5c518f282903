import type { SdpEndpoint } from '@switchboard/sandbox-data-access-calls';
import type { SandboxClock, SignalingError } from '@switchboard/sandbox-model';
import type { MovableAudioPort } from './movable-audio-port';
import type { SdkSession, SdkSessions } from './sdk-sessions';

/** The DTLS fingerprint an SDP declares (one per peer connection in Chrome; unchanged by ICE restarts). */
export function dtlsFingerprint(sdp: string | undefined): string | undefined {
  return sdp?.match(/^a=fingerprint:(.+?)\s*$/im)?.[1].toUpperCase();
}

/** A call between the sandbox and one SDK client, either direction, once it is set up. */
export interface SdkCall {
  readonly callSid: string;
  /** The SDK's temporary `TJS…` id of an outgoing call, which it uses until it learns the CallSid. */
  readonly tempId?: string;
  readonly reconnectToken: string;
  /** The sandbox endpoint of the SDK's current peer connection (replaced when a connectToken moves the call). */
  endpoint: SdpEndpoint;
  /** What the call core hears and feeds; it follows `endpoint` when the call moves. */
  readonly audio?: MovableAudioPort;
  /** DTLS fingerprint of the SDK's peer connection: tells its own signaling reconnect from a new peer's connectToken. */
  peerFingerprint?: string;
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

  /** A live call by CallSid (or TJS id); undefined once it has ended. Shared by connectToken and call messages. */
  find(callSid: string): SdkCall | undefined {
    const call = this.calls.get(callSid);
    return call && !call.ended ? call : undefined;
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

  /**
   * `device.connect({ connectToken })` from another peer connection took the answered call over:
   * the core's audio follows the new endpoint, the old endpoint closes and the old session's call
   * gets `hangup` (its leg ended); the new session gets the `answer` with our SDP.
   */
  moveToPeer(call: SdkCall, session: SdkSession, endpoint: SdpEndpoint, answerSdp: string, peerFingerprint: string): void {
    const { endpoint: oldEndpoint, session: oldSession } = call;
    call.hold?.abort();
    call.audio?.moveTo(endpoint);
    call.endpoint = endpoint;
    call.session = session;
    call.peerFingerprint = peerFingerprint;
    oldEndpoint.close();
    if (oldSession && oldSession !== session) this.sessions.send(oldSession, { type: 'hangup', payload: { callsid: call.callSid } });
    this.sessions.send(session, { type: 'answer', payload: { callsid: call.callSid, sdp: answerSdp, reconnect: call.reconnectToken } });
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
