import { createFeature, createReducer, createSelector, on, type Action } from '@ngrx/store';
import {
  CALL_TRANSITIONS,
  appendCapped,
  deriveCallOutcome,
  isConnectedCall,
  isLiveCall,
  type CallDirection,
  type CallId,
  type CallMessage,
  type CallOutcome,
  type CallPhase,
  type VoiceErrorInfo,
} from '@switchboard/shared-voice-model';
import { MONITOR_PARAMS } from '@switchboard/shared-contracts';
import { applyMove } from '../apply-move';
import { SessionEvents } from '../session.actions';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { CallCommandEvents, CallSdkEvents } from './call-sdk.actions';
import { MonitorEvents } from './monitor-call';

export interface CallEntry {
  readonly callId: CallId;
  readonly direction: CallDirection;
  readonly phase: CallPhase;
  /** The other party: the dialled target (outgoing) or the caller (incoming). */
  readonly remote: string;
  readonly callSid: string | null;
  readonly customParameters: Readonly<Record<string, string>>;
  readonly isCallerVerified: boolean | null;
  readonly isMuted: boolean;
  /** An incoming call that arrived while another call was live (call waiting). */
  readonly isWaiting: boolean;
  readonly hasEarlyMedia: boolean;
  readonly startedAt: number;
  readonly connectedAt: number | null;
  readonly reconnectingSince: number | null;
  readonly endedAt: number | null;
  readonly endedByAgent: boolean;
  readonly lastError: VoiceErrorInfo | null;
  readonly outcome: CallOutcome | null;
  readonly messages: readonly CallMessage[];
}

export interface RefusedCallMove {
  readonly callId: CallId;
  /** `none`: the event named a call this slice does not know. */
  readonly from: CallPhase | 'none';
  readonly to: CallPhase | 'none';
  readonly event: string;
}

export interface CallState {
  readonly calls: Readonly<Record<CallId, CallEntry>>;
  /** Oldest first. */
  readonly order: readonly CallId[];
  readonly rejected: RefusedCallMove | null;
  readonly lastCommandError: { readonly callId: CallId | null; readonly command: string; readonly error: VoiceErrorInfo } | null;
}

export const initialCallState: CallState = { calls: {}, order: [], rejected: null, lastCommandError: null };

export const CALL_MESSAGES_CAPACITY = 20;

function newEntry(callId: CallId, direction: CallDirection, phase: CallPhase, remote: string, at: number, patch: Partial<CallEntry> = {}): CallEntry {
  return {
    callId,
    direction,
    phase,
    remote,
    callSid: null,
    customParameters: {},
    isCallerVerified: null,
    isMuted: false,
    isWaiting: false,
    hasEarlyMedia: false,
    startedAt: at,
    connectedAt: null,
    reconnectingSince: null,
    endedAt: null,
    endedByAgent: false,
    lastError: null,
    outcome: null,
    messages: [],
    ...patch,
  };
}

/** A new call replaces the cards of ended ones; live calls stay. */
function addCall(state: CallState, entry: CallEntry): CallState {
  const keep = state.order.filter((id) => isLiveCall(state.calls[id].phase) && id !== entry.callId);
  const calls: Record<CallId, CallEntry> = {};
  for (const id of keep) calls[id] = state.calls[id];
  calls[entry.callId] = entry;
  return { ...state, calls, order: [...keep, entry.callId], rejected: null };
}

function patchCall(state: CallState, callId: CallId, action: Action, patch: (entry: CallEntry) => Partial<CallEntry>): CallState {
  const entry = state.calls[callId];
  if (!entry) return { ...state, rejected: { callId, from: 'none', to: 'none', event: action.type } };
  return { ...state, calls: { ...state.calls, [callId]: { ...entry, ...patch(entry) } } };
}

function moveCall(
  state: CallState,
  callId: CallId,
  to: CallPhase,
  action: Action,
  patch: (entry: CallEntry) => Partial<CallEntry> = () => ({}),
): CallState {
  const entry = state.calls[callId];
  if (!entry) return { ...state, rejected: { callId, from: 'none', to, event: action.type } };
  const move = applyMove(CALL_TRANSITIONS, entry.phase, to, action.type);
  if (!move.allowed) return { ...state, rejected: { callId, ...move.refused } };
  if (entry.phase === to) return state; // a repeated report (e.g. disconnect after reject) changes nothing
  return { ...state, rejected: null, calls: { ...state.calls, [callId]: { ...entry, ...patch(entry), phase: to } } };
}

const closeWith = (outcome: CallOutcome, at: number) => (): Partial<CallEntry> => ({ outcome, endedAt: at, reconnectingSince: null, isWaiting: false });

const hasOtherLiveCall = (state: CallState, callId: CallId): boolean =>
  state.order.some((id) => id !== callId && isLiveCall(state.calls[id].phase) && state.calls[id].phase !== 'pending');

export const callFeature = createFeature({
  name: 'call',
  reducer: createReducer(
    initialCallState,
    on(CallCommandEvents.outgoingStarted, (state, { callId, to, at, params }): CallState =>
      addCall(state, newEntry(callId, 'outgoing', 'dialing', to, at, params ? { customParameters: params } : {})),
    ),
    on(CallCommandEvents.outgoingFailed, (state, { to, error, at }): CallState =>
      addCall(state, newEntry(`failed-${at}`, 'outgoing', 'closed', to, at, { endedAt: at, lastError: error, outcome: { kind: 'failed', error } })),
    ),
    on(CallSdkEvents.incomingReceived, (state, { call, at }): CallState =>
      addCall(
        state,
        newEntry(call.callId, 'incoming', 'pending', call.from, at, {
          callSid: call.callSid,
          customParameters: call.customParameters,
          isCallerVerified: call.isCallerVerified,
          isWaiting: hasOtherLiveCall(state, call.callId),
        }),
      ),
    ),
    on(CallSdkEvents.ringing, (state, action): CallState =>
      moveCall(state, action.callId, 'ringing', action, () => ({ hasEarlyMedia: action.hasEarlyMedia })),
    ),
    on(SoftphonePanelActions.answerClicked, (state, action): CallState => moveCall(state, action.callId, 'accepting', action)),
    on(CallSdkEvents.accepted, (state, action): CallState =>
      moveCall(state, action.callId, 'open', action, (entry) => ({
        callSid: action.callSid ?? entry.callSid,
        connectedAt: entry.connectedAt ?? action.at,
        isWaiting: false,
      })),
    ),
    on(CallSdkEvents.reconnecting, (state, action): CallState =>
      moveCall(state, action.callId, 'reconnecting', action, () => ({ reconnectingSince: action.at, lastError: action.error })),
    ),
    on(CallSdkEvents.reconnected, (state, action): CallState =>
      // The reconnect cause is healed; it must not turn a later normal hang-up into "failed".
      moveCall(state, action.callId, 'open', action, () => ({ reconnectingSince: null, lastError: null })),
    ),
    on(CallSdkEvents.cancelled, (state, action): CallState =>
      moveCall(state, action.callId, 'closed', action, closeWith({ kind: 'cancelled' }, action.at)),
    ),
    on(CallSdkEvents.rejected, (state, action): CallState =>
      moveCall(state, action.callId, 'closed', action, closeWith({ kind: 'rejected' }, action.at)),
    ),
    on(CallCommandEvents.ignored, (state, action): CallState =>
      moveCall(state, action.callId, 'closed', action, closeWith({ kind: 'ignored' }, action.at)),
    ),
    on(CallSdkEvents.disconnected, (state, action): CallState =>
      moveCall(state, action.callId, 'closed', action, (entry) => ({
        ...closeWith(
          deriveCallOutcome({
            direction: entry.direction,
            wasAnswered: entry.connectedAt !== null,
            lastErrorCode: entry.lastError?.code ?? null,
            lastErrorMessage: entry.lastError?.message,
            endedByAgent: entry.endedByAgent,
          }),
          action.at,
        )(),
        callSid: action.callSid ?? entry.callSid,
      })),
    ),
    on(CallSdkEvents.failed, (state, action): CallState => patchCall(state, action.callId, action, () => ({ lastError: action.error }))),
    on(SoftphonePanelActions.hangUpClicked, CallCommandEvents.leaveRequested, (state, action): CallState =>
      patchCall(state, action.callId, action, () => ({ endedByAgent: true })),
    ),
    on(MonitorEvents.modeChanged, (state, action): CallState =>
      patchCall(state, action.callId, action, (entry) => ({ customParameters: { ...entry.customParameters, [MONITOR_PARAMS.mode]: action.mode } })),
    ),
    on(CallSdkEvents.muteChanged, (state, action): CallState => patchCall(state, action.callId, action, () => ({ isMuted: action.isMuted }))),
    on(CallSdkEvents.messageReceived, (state, action): CallState =>
      patchCall(state, action.callId, action, (entry) => ({ messages: appendCapped(entry.messages, action.message, CALL_MESSAGES_CAPACITY) })),
    ),
    on(CallCommandEvents.commandFailed, (state, { callId, command, error }): CallState => ({ ...state, lastCommandError: { callId, command, error } })),
    on(SoftphonePanelActions.endedCallDismissed, (state, { callId }): CallState => {
      const entry = state.calls[callId];
      if (!entry || isLiveCall(entry.phase)) return state;
      const calls = { ...state.calls };
      delete calls[callId];
      return { ...state, calls, order: state.order.filter((id) => id !== callId) };
    }),
    on(SessionEvents.signedOut, (): CallState => initialCallState),
  ),
  extraSelectors: ({ selectCalls, selectOrder }) => {
    const selectCallList = createSelector(selectCalls, selectOrder, (calls, order) => order.map((id) => calls[id]));
    return {
      selectCallList,
      selectLiveCalls: createSelector(selectCallList, (list) => list.filter((c) => isLiveCall(c.phase))),
      selectHasLiveCall: createSelector(selectCallList, (list) => list.some((c) => isLiveCall(c.phase))),
      /** The call the agent is talking on (or dialing); not a ringing incoming one. */
      selectActiveCall: createSelector(
        selectCallList,
        (list) => list.find((c) => isLiveCall(c.phase) && c.phase !== 'pending') ?? null,
      ),
      selectConnectedCalls: createSelector(selectCallList, (list) => list.filter((c) => isConnectedCall(c.phase))),
    };
  },
});
