import { createFeature, createReducer, on } from '@ngrx/store';
import {
  EMPTY_QUALITY_SUMMARY,
  addSampleToSummary,
  addWarningToSummary,
  appendCapped,
  type CallId,
  type CallQualitySummary,
  type QualitySample,
  type QualityWarningName,
} from '@switchboard/shared-voice-model';
import { CallSdkEvents } from '../call/call-sdk.actions';
import { SessionEvents } from '../session.actions';
import { QualitySdkEvents } from './quality-sdk.actions';

export interface CallQuality {
  readonly activeWarnings: readonly QualityWarningName[];
  /** Recent samples, oldest first, at most QUALITY_SAMPLE_CAPACITY. */
  readonly samples: readonly QualitySample[];
  readonly summary: CallQualitySummary;
  readonly volume: { readonly input: number; readonly output: number };
}

export interface QualityState {
  readonly byCall: Readonly<Record<CallId, CallQuality>>;
  /** Calls with quality data, oldest first; at most QUALITY_CALLS_CAPACITY are kept. */
  readonly order: readonly CallId[];
}

export const QUALITY_SAMPLE_CAPACITY = 30;
export const QUALITY_CALLS_CAPACITY = 10;

export const initialQualityState: QualityState = { byCall: {}, order: [] };

const EMPTY_CALL_QUALITY: CallQuality = { activeWarnings: [], samples: [], summary: EMPTY_QUALITY_SUMMARY, volume: { input: 0, output: 0 } };

function update(state: QualityState, callId: CallId, change: (quality: CallQuality) => CallQuality): QualityState {
  const existing = state.byCall[callId];
  const next = change(existing ?? EMPTY_CALL_QUALITY);
  if (existing) return { ...state, byCall: { ...state.byCall, [callId]: next } };
  const order = appendCapped(state.order, callId, QUALITY_CALLS_CAPACITY);
  const byCall: Record<CallId, CallQuality> = {};
  for (const id of order) byCall[id] = id === callId ? next : state.byCall[id];
  return { byCall, order };
}

/** Warnings stop meaning anything once the call is over; the summary stays. */
function endCall(state: QualityState, callId: CallId): QualityState {
  const existing = state.byCall[callId];
  if (!existing || existing.activeWarnings.length === 0) return state;
  return { ...state, byCall: { ...state.byCall, [callId]: { ...existing, activeWarnings: [] } } };
}

export const qualityFeature = createFeature({
  name: 'quality',
  reducer: createReducer(
    initialQualityState,
    on(QualitySdkEvents.warningRaised, (state, { callId, name }): QualityState =>
      update(state, callId, (q) => ({
        ...q,
        activeWarnings: q.activeWarnings.includes(name) ? q.activeWarnings : [...q.activeWarnings, name],
        summary: addWarningToSummary(q.summary, name),
      })),
    ),
    on(QualitySdkEvents.warningCleared, (state, { callId, name }): QualityState =>
      update(state, callId, (q) => ({ ...q, activeWarnings: q.activeWarnings.filter((w) => w !== name) })),
    ),
    on(QualitySdkEvents.sampleReceived, (state, { callId, sample }): QualityState =>
      update(state, callId, (q) => ({
        ...q,
        samples: appendCapped(q.samples, sample, QUALITY_SAMPLE_CAPACITY),
        summary: addSampleToSummary(q.summary, sample),
      })),
    ),
    on(QualitySdkEvents.volumeChanged, (state, { callId, input, output }): QualityState =>
      update(state, callId, (q) => ({ ...q, volume: { input, output } })),
    ),
    on(CallSdkEvents.disconnected, CallSdkEvents.cancelled, CallSdkEvents.rejected, (state, { callId }): QualityState =>
      endCall(state, callId),
    ),
    on(SessionEvents.signedOut, (): QualityState => initialQualityState),
  ),
});
