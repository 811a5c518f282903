import { createFeature, createReducer, on, type Action } from '@ngrx/store';
import {
  isTransferMiss,
  type CallParticipant,
  type ConsultAction,
  type RejoinableCall,
  type TransferMode,
  type TransferStatus,
} from '@switchboard/shared-contracts';
import { nextCallControlPhase, type CallControlEvent, type CallControlPhase, type CallId } from '@switchboard/shared-voice-model';
import { CallCommandEvents, CallSdkEvents } from '../call/call-sdk.actions';
import type { CallControlProblem } from '../ports/call-control-port';
import { SessionEvents } from '../session.actions';
import { CallControlApiEvents, CallControlLiveEvents, CallControlPanelActions, CallControlTimerEvents } from './call-control.actions';

export interface TransferProgress {
  readonly transferId: string | null;
  readonly mode: TransferMode;
  readonly targetDisplay: string;
  readonly status: TransferStatus;
}

/** An event the table refused in this phase (an out-of-order report, or a double click). */
export interface RefusedCallControlEvent {
  readonly from: CallControlPhase;
  readonly event: CallControlEvent;
  readonly action: string;
}

export interface CallControlState {
  readonly phase: CallControlPhase;
  /** The adapter's id and the CallSid of the agent's own leg in the controlled call. */
  readonly callId: CallId | null;
  readonly callSid: string | null;
  /** The API says the call is conference-anchored; false for direct agent-to-agent calls. */
  readonly controllable: boolean;
  readonly participants: readonly CallParticipant[];
  /** Epoch ms the customer was put on hold (the held timer's start). */
  readonly heldSince: number | null;
  readonly transfer: TransferProgress | null;
  readonly rejoinable: RejoinableCall | null;
  /** The last refusal or failure, with what to do. */
  readonly problem: CallControlProblem | null;
  /** The agent's leg went through `reconnecting`: a disconnect now is a drop, not a hang-up. */
  readonly legWasReconnecting: boolean;
  readonly rejected: RefusedCallControlEvent | null;
  /** Who waited for the agent, once they rejoined: the rejoin call's own `to` names no one, so the view shows this. */
  readonly rejoinedCustomer: string | null;
}

export const initialCallControlState: CallControlState = {
  phase: 'no-call',
  callId: null,
  callSid: null,
  controllable: false,
  participants: [],
  heldSince: null,
  transfer: null,
  rejoinable: null,
  problem: null,
  legWasReconnecting: false,
  rejected: null,
  rejoinedCustomer: null,
};

/** Take the event if the table allows it in this phase; otherwise keep the phase and record the refusal. */
function step(state: CallControlState, event: CallControlEvent, action: Action, patch: Partial<CallControlState> = {}): CallControlState {
  const to = nextCallControlPhase(state.phase, event);
  if (to === null) return { ...state, rejected: { from: state.phase, event, action: action.type } };
  return { ...state, ...patch, phase: to, rejected: null };
}

/** Reports about some other call (a stale event after a new call began) are ignored. */
const isThisCall = (state: CallControlState, callSid: string): boolean => state.callSid === callSid;

const CONFIRMED: Readonly<Record<ConsultAction, CallControlEvent>> = {
  complete: 'complete-confirmed',
  cancel: 'cancel-confirmed',
  'three-way': 'three-way-confirmed',
};

const REQUESTED: Readonly<Record<ConsultAction, CallControlEvent>> = {
  complete: 'complete-requested',
  cancel: 'cancel-requested',
  'three-way': 'three-way-requested',
};

/** A transfer status (HTTP answer or live event) as a table event; `ringing-target` moves nothing. */
function transferEvent(status: TransferStatus): CallControlEvent | null {
  if (status === 'answered') return 'target-answered';
  if (status === 'cancelled') return 'cancel-confirmed';
  return isTransferMiss(status) ? 'target-missed' : null;
}

function applyTransferStatus(state: CallControlState, progress: TransferProgress, action: Action): CallControlState {
  // The HTTP answer (ringing-target) can arrive after the live event that the target already declined or
  // answered: ringing is a transfer's first status, so it never replaces a later one (the notice keeps its reason).
  const known = state.transfer;
  if (progress.status === 'ringing-target' && known?.transferId === progress.transferId && known.status !== 'ringing-target') return state;
  const withProgress = { ...state, transfer: progress };
  const event = transferEvent(progress.status);
  if (event === null) return withProgress;
  // Back with the agent: the server took the customer off hold.
  return step(withProgress, event, action, event === 'target-missed' ? { heldSince: null } : {});
}

function applyParticipants(
  state: CallControlState,
  update: { callSid: string; controllable: boolean; participants: readonly CallParticipant[] },
  action: Action,
): CallControlState {
  if (!isThisCall(state, update.callSid)) return state;
  const next = { ...state, controllable: update.controllable, participants: update.participants };
  return update.controllable && state.phase === 'no-call' ? step(next, 'call-controllable', action) : next;
}

export const callControlFeature = createFeature({
  name: 'callControl',
  reducer: createReducer(
    initialCallControlState,
    // The agent's leg opened: remember it (a rejoined leg replaces the dropped one).
    on(CallSdkEvents.accepted, (state, { callId, callSid }): CallControlState => {
      if (callSid === null || (state.phase !== 'no-call' && state.phase !== 'back-in-call')) return state;
      if (state.phase === 'back-in-call') return { ...state, callId, callSid, legWasReconnecting: false };
      return { ...initialCallControlState, callId, callSid };
    }),
    // The rejoin call was placed: it is the agent's leg from now on (its disconnect before answering ends the rejoin).
    on(CallCommandEvents.outgoingStarted, (state, { callId }): CallControlState =>
      state.phase === 'back-in-call' && state.callId === null ? { ...state, callId } : state,
    ),
    // The rejoin call could not be placed (no Device, a call already live): nothing to show a bar for.
    on(CallCommandEvents.outgoingFailed, (state): CallControlState =>
      state.phase === 'back-in-call' && state.callId === null ? { ...initialCallControlState } : state,
    ),
    on(CallSdkEvents.reconnecting, (state, { callId }): CallControlState =>
      callId === state.callId ? { ...state, legWasReconnecting: true } : state,
    ),
    on(CallSdkEvents.reconnected, (state, { callId }): CallControlState =>
      callId === state.callId ? { ...state, legWasReconnecting: false } : state,
    ),
    on(CallSdkEvents.disconnected, (state, action): CallControlState => {
      if (action.callId !== state.callId) return state;
      if (state.phase === 'no-call') return { ...initialCallControlState };
      // Lost past the SDK's own reconnection: the server holds the customer and will offer a rejoin.
      const event: CallControlEvent = state.legWasReconnecting && state.phase !== 'transferred' ? 'leg-dropped' : 'call-ended';
      const next = step(state, event, action, { callId: null, legWasReconnecting: false });
      return next.phase === 'no-call' ? { ...initialCallControlState } : next;
    }),

    on(CallControlApiEvents.participantsLoaded, (state, action): CallControlState =>
      // "Not controllable" read before the agent's join was stored can arrive after the live event of that
      // join (HTTP and the live stream race): it is stale, as the API never calls a conference leg direct
      // again (a leg that left is refused, which reaches Participants Failed).
      state.controllable && !action.response.controllable && isThisCall(state, action.response.callSid)
        ? state
        : applyParticipants(state, action.response, action),
    ),
    on(CallControlLiveEvents.liveCallParticipants, (state, action): CallControlState => applyParticipants(state, action.event, action)),

    on(CallControlPanelActions.holdClicked, (state, action): CallControlState => step(state, 'hold-requested', action, { problem: null })),
    on(CallControlPanelActions.resumeClicked, (state, action): CallControlState => step(state, 'resume-requested', action, { problem: null })),
    on(CallControlApiEvents.holdChanged, (state, action): CallControlState => {
      const { callSid, held, heldSince } = action.response;
      if (!isThisCall(state, callSid)) return state;
      return held
        ? step(state, 'hold-confirmed', action, { heldSince: heldSince === null ? null : Date.parse(heldSince) })
        : step(state, 'resume-confirmed', action, { heldSince: null });
    }),

    on(CallControlPanelActions.transferOpened, (state, action): CallControlState => step(state, 'transfer-opened', action, { problem: null })),
    on(CallControlPanelActions.transferDismissed, (state, action): CallControlState => step(state, 'transfer-dismissed', action)),
    on(CallControlPanelActions.transferSubmitted, (state, action): CallControlState =>
      step(state, action.mode === 'cold' ? 'cold-transfer-requested' : 'consult-requested', action, {
        transfer: { transferId: null, mode: action.mode, targetDisplay: action.targetDisplay, status: 'ringing-target' },
      }),
    ),
    on(CallControlApiEvents.transferStarted, (state, action): CallControlState => {
      const { callSid, transferId, mode, status, targetDisplay } = action.response;
      return isThisCall(state, callSid) ? applyTransferStatus(state, { transferId, mode, status, targetDisplay }, action) : state;
    }),
    on(CallControlLiveEvents.liveTransferStatus, (state, action): CallControlState => {
      const { callSid, transferId, mode, status, targetDisplay } = action.event;
      return isThisCall(state, callSid) ? applyTransferStatus(state, { transferId, mode, status, targetDisplay }, action) : state;
    }),

    on(CallControlPanelActions.consultActionClicked, (state, action): CallControlState => step(state, REQUESTED[action.action], action, { problem: null })),
    on(CallControlApiEvents.consultActionDone, (state, action): CallControlState => {
      const { callSid, action: done, participants } = action.response;
      if (!isThisCall(state, callSid)) return state;
      const patch: Partial<CallControlState> = done === 'cancel' ? { participants, heldSince: null, transfer: null } : { participants };
      return step(state, CONFIRMED[done], action, patch);
    }),

    on(CallControlLiveEvents.rescueAvailable, (state, action): CallControlState => {
      const { rejoinable } = action.event;
      // A rescue offer for the call we are still on (a late event) means nothing.
      if (state.phase !== 'no-call' && state.phase !== 'dropped' && state.phase !== 'expired') return state;
      return step(state, 'rescue-offered', action, { rejoinable, callSid: rejoinable.callSid, problem: null });
    }),
    on(CallControlPanelActions.rejoinClicked, (state, action): CallControlState =>
      isThisCall(state, action.callSid) ? step(state, 'rejoin-requested', action, { problem: null }) : state,
    ),
    on(CallControlApiEvents.rejoinAdmitted, (state, action): CallControlState =>
      isThisCall(state, action.response.callSid)
        ? step(state, 'rejoin-confirmed', action, {
            rejoinable: null,
            controllable: true,
            heldSince: state.heldSince,
            rejoinedCustomer: state.rejoinable?.customerDisplay ?? null,
          })
        : state,
    ),
    on(CallControlTimerEvents.rejoinExpired, (state, action): CallControlState =>
      isThisCall(state, action.callSid) && (state.phase === 'rejoin-offered' || state.phase === 'rejoining')
        ? step(state, 'rejoin-expired', action, { rejoinable: null })
        : state,
    ),

    on(CallControlApiEvents.requestFailed, (state, action): CallControlState => {
      if (!isThisCall(state, action.callSid)) return state;
      const { problem } = action;
      // The rejoin window closed on the server's clock before ours.
      if (action.request === 'rejoin' && problem.code === 'call-gone') return step(state, 'rejoin-expired', action, { rejoinable: null, problem });
      return step(state, 'request-failed', action, { problem });
    }),
    on(CallControlPanelActions.noticeDismissed, (state, action): CallControlState => {
      if (nextCallControlPhase(state.phase, 'notice-dismissed') === null) return { ...state, problem: null };
      const next = step(state, 'notice-dismissed', action, { problem: null });
      return next.phase === 'no-call' ? { ...initialCallControlState } : next;
    }),
    on(SessionEvents.signedOut, (): CallControlState => initialCallControlState),
  ),
});
