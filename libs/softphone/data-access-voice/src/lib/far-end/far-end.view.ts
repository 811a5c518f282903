import { createSelector } from '@ngrx/store';
import { isConnectedCall, type CallOutcome, type VoiceErrorInfo } from '@switchboard/shared-voice-model';
import type { CallEntry } from '../call/call.feature';
import type { CallControlState } from '../call-control/call-control.feature';
import type { CallControlView } from '../call-control/call-control.selectors';
import type { CallView } from '../softphone.selectors';
import { initialFarEndState, type FarEndState } from './far-end.feature';

/**
 * The far end (far-end.feature.ts) applied to the softphone's view model. Plain selectors with a default,
 * not the feature's own: a store built without the slice (another library's test) shows calls as before.
 */
export const selectFarEnd = (state: object): FarEndState => (state as { farEnd?: FarEndState }).farEnd ?? initialFarEndState;

const selectCallControl = (state: object): CallControlState | undefined => (state as { callControl?: CallControlState }).callControl;

/**
 * When the customer joined the agent's conference, by the participants list (joins are recorded when a
 * participant's call is answered), as epoch ms with its CallSid; null when no customer is listed.
 */
export const selectCustomerJoinedAt = createSelector(selectCallControl, (callControl): { callSid: string; at: number } | null => {
  const customer = callControl?.participants.find((p) => p.role === 'customer');
  if (!callControl?.callSid || !customer) return null;
  const at = Date.parse(customer.joinedAt);
  return Number.isNaN(at) ? null : { callSid: callControl.callSid, at };
});

/** The far end names this outgoing call (its agent leg). */
const isAbout = (call: { direction: string; callSid: string | null }, farEnd: FarEndState): boolean =>
  call.direction === 'outgoing' && call.callSid !== null && call.callSid === farEnd.callSid && farEnd.status !== null;

/**
 * An anchored phone call whose number has not answered: its SDK call is open (the conference answered it),
 * but the agent sees it ringing as a direct call rings, with no conversation timer and no mute or keypad;
 * the announcer then says "Ringing …" and, at the answer, "Connected to …". The timer starts at the answer.
 * A customer listed among the participants has answered, which heals a lost `answered` event. No event
 * for this call: the view is the SDK's, as before.
 */
export function farEndView(view: CallView, farEnd: FarEndState, customerJoined: { callSid: string; at: number } | null): CallView {
  if (!isAbout(view, farEnd)) return view;
  const joinedAt = customerJoined?.callSid === view.callSid ? customerJoined.at : null;
  if (farEnd.status === 'answered' || joinedAt !== null) {
    return { ...view, connectedAt: farEnd.answeredAt ?? joinedAt ?? view.connectedAt };
  }
  // Ringing, or missed while the agent hears why before their call ends.
  const phase = view.phase === 'open' ? 'ringing' : view.phase;
  return { ...view, phase, connectedAt: null, canControl: isConnectedCall(phase) };
}

/**
 * The call-control bar while the number of the agent's anchored phone call has not answered: hidden, as
 * for a direct call that rings, since there is no one to hold or transfer yet (the customer joins the
 * participants at the answer); hold and transfer shortcuts do nothing. Hang-up still goes through the API.
 */
export function callControlWhileFarEndRings(view: CallControlView, farEnd: FarEndState): CallControlView {
  const rings = view.callSid !== null && view.callSid === farEnd.callSid && farEnd.status !== null && farEnd.status !== 'answered';
  if (!rings || view.participants.some((p) => p.role === 'customer')) return view;
  return { ...view, visible: false, canHold: false, canTransfer: false };
}

/** `failed` as the outcome view shows it: not the agent's fault, and nothing the SDK reported. */
export const FAR_END_NOT_CONNECTED: VoiceErrorInfo = {
  code: null,
  name: 'NumberNotConnected',
  category: 'call-not-answered',
  message: 'The call could not be connected.',
  nextStep: 'Check the number and try again; it may be out of service.',
  isRetriedAutomatically: false,
};

/**
 * The ended call's outcome with what the far end said: the API ends the agent's leg itself after a miss,
 * which the SDK reports as an ordinary hang-up (completed). An outcome the SDK explained (an error) stays.
 * A hang-up while the number rang stays "Call ended": a lost `answered` event would make "cancelled" a lie.
 */
export function withFarEndOutcome(entry: CallEntry, farEnd: FarEndState): CallEntry {
  if (!isAbout(entry, farEnd) || entry.outcome?.kind !== 'completed') return entry;
  const outcome: CallOutcome | null =
    farEnd.status === 'no-answer' || farEnd.status === 'busy'
      ? { kind: farEnd.status }
      : farEnd.status === 'failed'
        ? { kind: 'failed', error: FAR_END_NOT_CONNECTED }
        : null;
  return outcome ? { ...entry, outcome } : entry;
}
