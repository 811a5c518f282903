import { newSid, type CallCore, type LiveLeg, type MediaEngine } from '@switchboard/sandbox-data-access-calls';
import type { CallLegControl, NewCallInvite, SandboxClock } from '@switchboard/sandbox-model';
import { decodeParamsFromSdk } from './client-params';
import { MovableAudioPort } from './movable-audio-port';
import { dtlsFingerprint, type SdkCall, type SdkCallTable } from './sdk-call-table';
import type { SdkSession, SdkSessions } from './sdk-sessions';

export interface OutgoingCallRequest {
  /** The SDK caller's leg: run the TwiML App's TwiML on it. */
  readonly leg: CallLegControl;
  readonly applicationSid: string;
  /** `device.connect({params})`, over the token's `outgoing.params`. */
  readonly params: Readonly<Record<string, string>>;
  readonly identity: string;
}

/**
 * What an SDK caller whose call was never answered receives for `<Reject reason>`: Twilio ends it
 * with the SIP-derived error, which the SDK reports (31603 Decline, 31486 Busy Here).
 */
export const REJECT_ERRORS = {
  rejected: { code: 31603, message: 'Decline' },
  busy: { code: 31486, message: 'Busy Here' },
} as const;

export interface SdkCallerLegsOptions {
  readonly sessions: SdkSessions;
  readonly calls: SdkCallTable;
  readonly core: CallCore;
  readonly media: MediaEngine;
  readonly clock: SandboxClock;
  readonly applicationExists: (accountSid: string, applicationSid: string) => boolean;
  /** Runs the TwiML App on the new leg (the TwiML engine, in the app). */
  readonly onOutgoingCall: (request: OutgoingCallRequest) => void;
}

/**
 * Calls an SDK places (`device.connect()`): checks the token's outgoing grant, answers the offer
 * with a sandbox media endpoint, registers the caller's leg with the call core and hands it to the
 * TwiML App. From then on the call lives in the SdkCallTable like any SDK call.
 */
export class SdkCallerLegs {
  constructor(private readonly options: SdkCallerLegsOptions) {}

  async invite(session: SdkSession, invite: NewCallInvite): Promise<void> {
    const { sessions, calls, core, media, clock } = this.options;
    const { callsid } = invite;
    const token = session.token;
    if (!token) {
      sessions.send(session, { type: 'hangup', payload: { callsid, error: { code: 31400, message: 'invite before listen' } } });
      return;
    }
    if (token.expiresAt <= clock.now() / 1000) {
      sessions.send(session, { type: 'hangup', payload: { callsid, error: { code: 31205, message: 'Access token expired' } } });
      return;
    }
    const applicationSid = token.outgoingApplicationSid;
    if (!applicationSid || !this.options.applicationExists(token.accountSid, applicationSid)) {
      sessions.send(session, {
        type: 'hangup',
        payload: { callsid, error: { code: 21218, message: `Token has no outgoing grant for a known TwiML App (${applicationSid ?? 'none'})` } },
      });
      return;
    }
    const params = { ...token.outgoingParams, ...decodeParamsFromSdk(invite.twilio.params) };
    const callSid = newSid('CA');
    const endpoint = media.createEndpoint(callSid);
    const answerSdp = await endpoint.answer(invite.sdp);
    const audio = new MovableAudioPort(endpoint);
    const call: SdkCall = {
      callSid,
      tempId: callsid,
      reconnectToken: newSid('RT'),
      endpoint,
      audio,
      peerFingerprint: dtlsFingerprint(invite.sdp),
      session,
      remoteEnded: () => leg.end(),
      ended: false,
    };
    calls.add(call);
    let answered = false;
    const leg: LiveLeg = core.startLeg(
      { callSid, accountSid: token.accountSid, from: `client:${token.identity}`, to: params['To'] ?? '', direction: 'inbound' },
      audio,
      {
        answer: async () => {
          answered = true;
          if (call.session) sessions.send(call.session, { type: 'answer', payload: { callsid: callSid, sdp: answerSdp, reconnect: call.reconnectToken } });
        },
        hangup: (reason) => calls.end(call, true, undefined, reason && !answered ? REJECT_ERRORS[reason] : undefined),
      },
    );
    endpoint.onClosed((reason) => {
      // A connectToken may have moved the call to another endpoint; this one's end is then no failure.
      if (reason === 'failed' && call.endpoint === endpoint) calls.end(call, true, () => leg.end());
    });
    sessions.send(session, { type: 'ringing', payload: { callsid: callSid } });
    this.options.onOutgoingCall({ leg, applicationSid, params, identity: token.identity });
  }
}
