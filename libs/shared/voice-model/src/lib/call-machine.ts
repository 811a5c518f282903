import type { TransitionTable } from './machine';
import { describeVoiceError, type VoiceErrorInfo } from './voice-errors';

/** The adapter's own id for a call. Outgoing calls have no CallSid at first, so this is the key. */
export type CallId = string;

export type CallDirection = 'outgoing' | 'incoming';

/**
 * One call's phase. Outgoing: dialing → ringing → open ⇄ reconnecting → closed.
 * Incoming: pending → accepting (agent clicked answer) → open …; or pending → closed
 * (rejected, ignored, cancelled by the caller). `closed` carries a {@link CallOutcome}.
 */
export type CallPhase = 'dialing' | 'ringing' | 'pending' | 'accepting' | 'open' | 'reconnecting' | 'closed';

export const CALL_PHASES: readonly CallPhase[] = ['dialing', 'ringing', 'pending', 'accepting', 'open', 'reconnecting', 'closed'];

export const CALL_TRANSITIONS: TransitionTable<CallPhase> = {
  dialing: ['ringing', 'open', 'closed'],
  ringing: ['open', 'closed'],
  pending: ['accepting', 'closed'],
  accepting: ['open', 'closed'],
  open: ['reconnecting', 'closed'],
  reconnecting: ['open', 'closed'],
  closed: [],
};

/** Phases a call starts in. */
export const INITIAL_CALL_PHASE: Readonly<Record<CallDirection, CallPhase>> = { outgoing: 'dialing', incoming: 'pending' };

export const isLiveCall = (phase: CallPhase): boolean => phase !== 'closed';
/** Audio is (or is about to be) flowing: mute, DTMF and messages make sense. */
export const isConnectedCall = (phase: CallPhase): boolean => phase === 'open' || phase === 'reconnecting';

/** How a call ended, in words the agent understands. */
export type CallOutcome =
  | { readonly kind: 'completed' }
  | { readonly kind: 'no-answer' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'declined' }
  /** The caller hung up before anyone answered (incoming), or the agent hung up while dialing. */
  | { readonly kind: 'cancelled' }
  /** The agent declined an incoming call. */
  | { readonly kind: 'rejected' }
  /** The agent silenced an incoming call without answering. */
  | { readonly kind: 'ignored' }
  | { readonly kind: 'failed'; readonly error: VoiceErrorInfo };

export type CallOutcomeKind = CallOutcome['kind'];

/** Facts known when the SDK says `disconnect`; `lastErrorCode` is the last call `error` seen. */
export interface CallEndFacts {
  readonly direction: CallDirection;
  /** The call reached `open` at least once. */
  readonly wasAnswered: boolean;
  readonly lastErrorCode: number | null;
  readonly lastErrorMessage?: string;
  /** The agent hung up (rather than the far end or the network). */
  readonly endedByAgent: boolean;
}

/**
 * Derive the outcome from what the SDK exposes. With enableImprovedSignalingErrorPrecision the
 * gateway's HANGUP error arrives as 31486 (busy), 31480 (no answer), 31603 (declined) before the
 * `disconnect`; without it they collapse into 31005, which can only say "failed".
 */
export function deriveCallOutcome(facts: CallEndFacts): CallOutcome {
  switch (facts.lastErrorCode) {
    case null:
      break;
    case 31486:
      return { kind: 'busy' };
    case 31480:
      return { kind: 'no-answer' };
    case 31603:
    case 31002:
      return { kind: 'declined' };
    case 31008:
      return { kind: 'cancelled' };
    default:
      return { kind: 'failed', error: describeVoiceError(facts.lastErrorCode, facts.lastErrorMessage) };
  }
  if (facts.wasAnswered) return { kind: 'completed' };
  // Outgoing, never answered, no error: the agent gave up while it rang, or the far end hung up.
  if (facts.direction === 'outgoing') return facts.endedByAgent ? { kind: 'cancelled' } : { kind: 'no-answer' };
  return { kind: 'cancelled' };
}

export function describeCallOutcome(outcome: CallOutcome): string {
  switch (outcome.kind) {
    case 'completed':
      return 'Call ended';
    case 'no-answer':
      return 'No answer';
    case 'busy':
      return 'Line busy';
    case 'declined':
      return 'Call declined';
    case 'cancelled':
      return 'Call cancelled';
    case 'rejected':
      return 'You declined the call';
    case 'ignored':
      return 'Call ignored';
    case 'failed':
      return outcome.error.code === null
        ? `Call failed: ${outcome.error.message}`
        : `Call failed (error ${outcome.error.code}): ${outcome.error.message}`;
  }
}

/** DTMF as the SDK accepts it (`sendDigits`): 0-9, *, #, and w for a half-second pause. */
export const DTMF_PATTERN = /^[0-9*#w]+$/;
export const isValidDtmf = (digits: string): boolean => DTMF_PATTERN.test(digits);

/** A user-defined call message (`call.sendMessage` / `messageReceived`). Content is JSON-safe. */
export interface CallMessage {
  readonly messageType: 'user-defined-message';
  readonly content: unknown;
  readonly contentType?: string;
  readonly voiceEventSid?: string;
}
