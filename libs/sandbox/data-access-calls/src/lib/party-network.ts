import type { LegEndpoint } from '@switchboard/sandbox-model';
import type { AudioPort } from './media-port';

/** Asking a far party (a registered SDK client, or a scripted phone number) to take a call. */
export interface RingRequest {
  readonly callSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: LegEndpoint;
  /** Delivered to SDK clients as `parameters.Params` (TwiML `<Parameter>`s). */
  readonly parameters: Readonly<Record<string, string>>;
}

export type RingOutcome =
  | { readonly kind: 'answered'; readonly party: AnsweredParty }
  | { readonly kind: 'busy' | 'failed' | 'rejected' };

/** A party that picked up: its audio, and the way to end its side. */
export interface AnsweredParty {
  readonly audio: AudioPort;
  /** Fires once when the party hangs up (or its media/socket is lost for good). */
  onHangup(listener: () => void): void;
  /** We end the call: the party is told (an SDK client gets `hangup`). */
  hangup(): void;
}

export interface OutboundRing {
  /** Fires when the party is alerted (an SDK client got its `invite`). */
  readonly ringing: Promise<void>;
  /** Settles when the party answers or refuses; it never settles on its own for no-answer. */
  readonly outcome: Promise<RingOutcome>;
  /** Stop ringing (a client gets `cancel`). Harmless after the outcome. */
  cancel(): void;
}

/** Implemented by the signaling layer (clients) and by the scripted phone network (numbers). */
export interface PartyNetwork {
  ring(request: RingRequest): OutboundRing;
}
