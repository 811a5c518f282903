import { createSelector } from '@ngrx/store';
import { isTransferMiss, TRANSFER_STATUS_WORDS, type CallParticipant, type TransferMode } from '@switchboard/shared-contracts';
import {
  CALL_CONTROL_PHASE_WORDS,
  isCallControlPending,
  isCustomerHeld,
  isInControlledCall,
  nextCallControlPhase,
  type CallControlPhase,
} from '@switchboard/shared-voice-model';
import { callControlFeature, type CallControlState } from './call-control.feature';
import { callControlWhileFarEndRings, selectFarEnd } from '../far-end/far-end.view';

/** The rejoin banner: who waits, and until when. */
export interface RejoinOfferView {
  readonly callSid: string;
  readonly customerDisplay: string;
  /** Epoch ms; the banner counts down to it. */
  readonly expiresAt: number;
  readonly isRejoining: boolean;
}

/** What the in-call view needs to show and offer for call control; `visible` false hides all of it. */
export interface CallControlView {
  readonly phase: CallControlPhase;
  /** The call is conference-anchored and the agent is in it: show the bar and the participants. */
  readonly visible: boolean;
  readonly callSid: string | null;
  /** The phase in words (`Caller on hold`, `Consulting (the caller is on hold)`). */
  readonly phaseText: string;
  readonly participants: readonly CallParticipant[];
  /** Epoch ms the customer was put on hold; null when not held by the agent. */
  readonly heldSince: number | null;
  readonly isHeld: boolean;
  /** A request is in flight: the buttons wait. */
  readonly isPending: boolean;
  readonly canHold: boolean;
  readonly canResume: boolean;
  readonly canTransfer: boolean;
  /** Complete and three-way: the consult target answered. */
  readonly canFinishConsult: boolean;
  /** Cancel: a consult in progress, or a transfer still ringing. */
  readonly canCancelTransfer: boolean;
  readonly transferMode: TransferMode | null;
  /** `Consult with Bob Brown: Ringing the transfer target`; null without a transfer. */
  readonly transferStatusText: string | null;
  readonly rejoin: RejoinOfferView | null;
  /** Something to tell the agent until dismissed: a refusal with its next step, a return, an expiry. */
  readonly notice: string | null;
  /** After a rejoin: who the agent is back with (the in-call view shows this rather than the rejoin call's `to`). */
  readonly rejoinedCustomer: string | null;
  /** The adapter's id of the agent's leg (null before the rejoin call is placed). */
  readonly callId: string | null;
}

const allows = (phase: CallControlPhase, event: Parameters<typeof nextCallControlPhase>[1]): boolean => nextCallControlPhase(phase, event) !== null;

function transferText(state: CallControlState): string | null {
  const transfer = state.transfer;
  if (!transfer) return null;
  const what = transfer.mode === 'cold' ? 'Transfer to' : 'Consult with';
  return `${what} ${transfer.targetDisplay}: ${TRANSFER_STATUS_WORDS[transfer.status]}`;
}

/**
 * Why a transfer came back, in the status words the bar shows ("Transfer to Alice Smith: Declined."), so
 * the notice and the bar agree. A bare 'returned-to-you' (a consult's target hung up; or an older API that
 * sent no reason) would only repeat "the caller is back", so it says what ended instead.
 */
function missText(state: CallControlState): string {
  const transfer = state.transfer;
  if (!transfer) return 'The transfer did not go through.';
  if (transfer.status !== 'returned-to-you' && isTransferMiss(transfer.status)) return `${transferText(state)}.`;
  return transfer.mode === 'consult' ? `The consult with ${transfer.targetDisplay} ended.` : `The transfer to ${transfer.targetDisplay} did not go through.`;
}

function noticeOf(state: CallControlState): string | null {
  // The server's 410 to a rejoin: the call ended or its window passed; nothing is left to try.
  if (state.phase === 'expired' && state.problem) return `The call can no longer be rejoined: ${state.problem.message}`;
  if (state.problem) return `${state.problem.message} ${state.problem.nextStep}`;
  if (state.phase === 'returned-to-you') return `${missText(state)} The caller is back with you.`;
  if (state.phase === 'expired') return CALL_CONTROL_PHASE_WORDS.expired + '.';
  if (state.phase === 'transferred') return `${transferText(state) ?? 'Call transferred'}. You are free for the next call.`;
  return null;
}

export function toCallControlView(state: CallControlState): CallControlView {
  const { phase } = state;
  const rejoinable = state.rejoinable;
  const canFinish = phase === 'consulting';
  return {
    phase,
    visible: state.controllable && isInControlledCall(phase),
    callSid: state.callSid,
    phaseText: CALL_CONTROL_PHASE_WORDS[phase],
    participants: state.participants,
    heldSince: isCustomerHeld(phase) ? state.heldSince : null,
    isHeld: isCustomerHeld(phase),
    isPending: isCallControlPending(phase),
    canHold: allows(phase, 'hold-requested'),
    canResume: allows(phase, 'resume-requested'),
    canTransfer: allows(phase, 'transfer-opened'),
    canFinishConsult: canFinish,
    canCancelTransfer: allows(phase, 'cancel-requested'),
    transferMode: state.transfer?.mode ?? null,
    transferStatusText: transferText(state),
    rejoin:
      rejoinable && (phase === 'rejoin-offered' || phase === 'rejoining')
        ? { callSid: rejoinable.callSid, customerDisplay: rejoinable.customerDisplay, expiresAt: Date.parse(rejoinable.expiresAt), isRejoining: phase === 'rejoining' }
        : null,
    notice: noticeOf(state),
    rejoinedCustomer: state.rejoinedCustomer,
    callId: state.callId,
  };
}

/** The agent's leg in a call the API anchors (hang-up then goes through the API, so no rescue follows); null otherwise. */
export interface AnchoredLeg {
  readonly callId: string;
  readonly callSid: string;
}

export const selectAnchoredLeg = createSelector(callControlFeature.selectCallControlState, (state): AnchoredLeg | null =>
  state.controllable && state.callId !== null && state.callSid !== null && isInControlledCall(state.phase)
    ? { callId: state.callId, callSid: state.callSid }
    : null,
);

export const selectCallControlView = createSelector(callControlFeature.selectCallControlState, selectFarEnd, (state, farEnd) =>
  callControlWhileFarEndRings(toCallControlView(state), farEnd),
);
export const selectHeldSince = createSelector(selectCallControlView, (view) => view.heldSince);
export const selectTransferStatusText = createSelector(selectCallControlView, (view) => view.transferStatusText);
export const selectCallParticipants = createSelector(selectCallControlView, (view) => view.participants);
export const selectRejoinOffer = createSelector(selectCallControlView, (view) => view.rejoin);

/** Whole seconds left to rejoin (never negative), for the banner's countdown. */
export function rejoinSecondsLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.ceil((expiresAt - now) / 1000));
}
