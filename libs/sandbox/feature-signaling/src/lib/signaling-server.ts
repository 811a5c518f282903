import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CallCore, MediaEngine, SdpEndpoint } from '@switchboard/sandbox-data-access-calls';
import type { SandboxClock } from '@switchboard/sandbox-model';
import type { ApiKeyCredential } from './access-token';
import { PStreamTransport, type CallMessage } from './pstream-transport';
import { SdkCallTable } from './sdk-call-table';
import { SdkCallerLegs, type OutgoingCallRequest } from './sdk-caller-legs';
import { SdkCallMessages } from './sdk-call-messages';
import { SdkClientNetwork } from './sdk-client-network';
import { SdkSessions, type SdkSession } from './sdk-sessions';
import type { SandboxLog } from './signaling-log';

/**
 * The SDK side that exists before the call core: the sessions, the calls with SDK clients, and the
 * client network the call core rings clients through (pass `peers.network` as CallCore's `clients`).
 */
export interface SdkPeers {
  readonly media: MediaEngine;
  readonly sessions: SdkSessions;
  readonly calls: SdkCallTable;
  readonly network: SdkClientNetwork;
  /** Call messages on SDK legs (the REST side's UserDefinedMessages and their subscriptions use it). */
  readonly messages: SdkCallMessages;
}

export function createSdkPeers(options: { readonly media: MediaEngine; readonly clock: SandboxClock; readonly log: SandboxLog }): SdkPeers {
  const sessions = new SdkSessions(options.log);
  const calls = new SdkCallTable(sessions, options.clock);
  const network = new SdkClientNetwork({ sessions, calls, media: options.media, log: options.log });
  return { media: options.media, sessions, calls, network, messages: new SdkCallMessages(sessions, calls) };
}

export interface SignalingOptions {
  readonly peers: SdkPeers;
  /** Built with `peers.network` as its client network. */
  readonly core: CallCore;
  readonly clock: SandboxClock;
  readonly apiKeys: readonly ApiKeyCredential[];
  readonly applicationExists: (accountSid: string, applicationSid: string) => boolean;
  readonly onOutgoingCall: (request: OutgoingCallRequest) => void;
  readonly log: SandboxLog;
  readonly heartbeatMs?: number;
}

/**
 * PStream 1.6 signaling for the unmodified Voice JS SDK, on `wss://…/signal`: routes each call
 * message to the unit that owns it (transport, caller legs, client network, call table) and offers
 * the app one object for the upgrade, the admin view and the fault hooks.
 */
export class SignalingServer {
  private readonly transport: PStreamTransport;
  private readonly callerLegs: SdkCallerLegs;
  private readonly peers: SdkPeers;

  constructor(options: SignalingOptions) {
    const { peers, clock } = options;
    this.peers = peers;
    this.callerLegs = new SdkCallerLegs({
      sessions: peers.sessions,
      calls: peers.calls,
      core: options.core,
      media: peers.media,
      clock,
      applicationExists: options.applicationExists,
      onOutgoingCall: options.onOutgoingCall,
    });
    this.transport = new PStreamTransport({
      sessions: peers.sessions,
      apiKeys: options.apiKeys,
      clock,
      log: options.log,
      heartbeatMs: options.heartbeatMs,
      onCallMessage: (session, message) => this.route(session, message),
      onSessionLost: (session) => {
        peers.network.sessionLost(session);
        peers.calls.sessionLost(session);
      },
    });
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.transport.handleUpgrade(request, socket, head);
  }

  close(): void {
    this.transport.close();
    this.peers.calls.endAll();
  }

  /** Registered identities and their session count, for the admin view. */
  registrations(): Record<string, number> {
    return this.peers.sessions.registrations();
  }

  /** The media endpoint of an SDK leg by CallSid (for stall/packet-loss faults). */
  endpointOf(callSid: string): SdpEndpoint | undefined {
    return this.peers.calls.endpointOf(callSid);
  }

  dropSocket(identity: string): number {
    return this.transport.dropSocket(identity);
  }

  stopHeartbeats(identity: string, seconds: number): number {
    return this.transport.stopHeartbeats(identity, seconds);
  }

  refuseConnections(seconds: number): void {
    this.transport.refuseConnections(seconds);
  }

  expireToken(identity: string): number {
    return this.transport.expireToken(identity);
  }

  private route(session: SdkSession, message: CallMessage): void | Promise<void> {
    const { network, calls } = this.peers;
    switch (message.type) {
      case 'invite': {
        const invite = message.payload;
        if (invite.reconnect !== undefined) return network.reconnect(session, invite);
        return this.callerLegs.invite(session, invite);
      }
      case 'answer':
        return network.answer(session, message.payload.callsid, message.payload.sdp);
      case 'reject':
        return network.reject(session, message.payload.callsid);
      case 'hangup':
        if (!network.hangupWhileRinging(session, message.payload.callsid)) calls.hangup(session, message.payload.callsid);
        return;
      case 'reinvite':
        return calls.reinvite(session, message.payload.callsid, message.payload.sdp);
      case 'dtmf':
        return calls.dtmf(session, message.payload.callsid, message.payload.dtmf);
      case 'message':
        return this.peers.messages.receive(session, message.payload);
    }
  }
}
