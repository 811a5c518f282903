import { createFeature, createReducer, on } from '@ngrx/store';
import { DEFAULT_EDGE_PREFERENCE, type EdgePreference, type VoiceErrorInfo } from '@switchboard/shared-voice-model';
import { SoftphoneSettingsActions } from '../softphone-panel.actions';
import { EdgeCommandEvents } from './edge.actions';

/**
 * `applying`: handed to the port; `pending-call`: waits for the live call to end;
 * `applied`: the port took it (a Device created later uses it too); `failed`: see `error`.
 */
export type EdgeApplyStatus = 'applying' | 'pending-call' | 'applied' | 'failed';

export interface EdgeState {
  readonly preference: EdgePreference;
  readonly status: EdgeApplyStatus;
  readonly error: VoiceErrorInfo | null;
}

export const initialEdgeState: EdgeState = { preference: DEFAULT_EDGE_PREFERENCE, status: 'applied', error: null };

export const edgeFeature = createFeature({
  name: 'edge',
  reducer: createReducer(
    initialEdgeState,
    on(SoftphoneSettingsActions.edgePreferenceSelected, EdgeCommandEvents.preferenceRestored, (state, { preference }): EdgeState => ({
      preference,
      status: 'applying',
      error: null,
    })),
    on(EdgeCommandEvents.applyDeferred, (state): EdgeState => ({ ...state, status: 'pending-call' })),
    // A late answer for an older choice must not mark the newer one as applied (or failed).
    on(EdgeCommandEvents.applied, (state, { preference }): EdgeState =>
      preference === state.preference ? { ...state, status: 'applied', error: null } : state,
    ),
    on(EdgeCommandEvents.applyFailed, (state, { preference, error }): EdgeState =>
      preference === state.preference ? { ...state, status: 'failed', error } : state,
    ),
  ),
});
