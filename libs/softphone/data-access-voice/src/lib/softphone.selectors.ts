import { createSelector } from '@ngrx/store';
import {
  QUALITY_WARNING_TEXT,
  canPlaceCalls,
  describeAppError,
  describeCallOutcome,
  isConnectedCall,
  qualityLevel,
  type CallId,
  type CallOutcome,
  type CallPhase,
  type ConnectionPhase,
  type EdgePreference,
  type MicrophonePermission,
  type QualityLevel,
  type QualitySample,
  type QualityWarningName,
  type VoiceErrorInfo,
  type VoiceLogLevel,
  type AudioDevice,
  type CallQualitySummary,
} from '@switchboard/shared-voice-model';
import { audioDevicesFeature, type DeviceNotice, type SpeakerTestStatus } from './audio-devices/audio-devices.feature';
import { callFeature, type CallEntry } from './call/call.feature';
import { monitorCallOf, type MonitorCallView } from './call/monitor-call';
import { connectionFeature } from './connection/connection.feature';
import { edgeFeature, type EdgeApplyStatus } from './edge/edge.feature';
import { farEndView, selectFarEnd, selectCustomerJoinedAt, withFarEndOutcome } from './far-end/far-end.view';
import { qualityFeature } from './quality/quality.feature';

export type ConnectionTone = 'neutral' | 'progress' | 'ok' | 'warn' | 'error';

/**
 * The phone's connection in words: the ONE view model the status chip, its tooltip, the panel's
 * notice and the screen-reader announcement all read, so they can never disagree.
 */
export interface ConnectionStatusView {
  readonly phase: ConnectionPhase;
  /** What the state is, in a few words (the chip's text). */
  readonly label: string;
  /** Material icon name for the chip. */
  readonly icon: string;
  readonly tone: ConnectionTone;
  /** What it means for the agent and what to do, as one or two sentences. */
  readonly guidance: string;
  readonly error: VoiceErrorInfo | null;
  /** Switchboard is retrying on its own (the chip adds the countdown to the next attempt). */
  readonly isRetrying: boolean;
  /** The agent can press "Try again" (phase error or destroyed). */
  readonly canReconnect: boolean;
  /** Another tab has the phone; the agent can press "Use this tab". */
  readonly canTakeOver: boolean;
}

export interface CallView {
  readonly callId: CallId;
  readonly direction: 'incoming' | 'outgoing';
  readonly phase: CallPhase;
  readonly remote: string;
  readonly callSid: string | null;
  readonly customParameters: Readonly<Record<string, string>>;
  readonly isCallerVerified: boolean | null;
  readonly isMuted: boolean;
  readonly isWaiting: boolean;
  readonly connectedAt: number | null;
  readonly reconnectingSince: number | null;
  /** Mute, keypad and messages are usable. */
  readonly canControl: boolean;
  /** A supervisor's listen / whisper / barge call: whose call and how; null for any other call. */
  readonly monitor: MonitorCallView | null;
}

export interface EndedCallView {
  readonly callId: CallId;
  readonly remote: string;
  readonly outcome: CallOutcome;
  readonly outcomeText: string;
  /** For a failure: what to do next. */
  readonly guidance: string | null;
}

export interface QualityWarningView {
  readonly name: QualityWarningName;
  readonly title: string;
  readonly remediation: string;
}

export interface LiveQualityView {
  readonly level: QualityLevel;
  readonly warnings: readonly QualityWarningView[];
  readonly latest: QualitySample | null;
  readonly summary: CallQualitySummary | null;
}

export interface SoftphoneViewModel {
  readonly status: ConnectionStatusView;
  readonly agent: { readonly identity: string; readonly displayName: string | null } | null;
  readonly microphone: { readonly permission: MicrophonePermission; readonly guidance: string | null };
  /** The dialer's call button is enabled. */
  readonly canDial: boolean;
  /** Why the call button is disabled (shown beside it); null when enabled. */
  readonly dialDisabledReason: string | null;
  /** The call being dialled or talked on. */
  readonly activeCall: CallView | null;
  /** An incoming call ringing while no other call is live. */
  readonly incomingCall: CallView | null;
  /** An incoming call ringing while the agent is on another call. */
  readonly waitingCall: CallView | null;
  /** The most recent ended call, until dismissed or replaced. */
  readonly endedCall: EndedCallView | null;
  /** Quality of the active call; null without one. */
  readonly quality: LiveQualityView | null;
  readonly deviceNotice: DeviceNotice | null;
}

const RECONNECTING_GUIDANCE = 'Calls cannot reach you right now. Switchboard is reconnecting on its own; check your network if this does not clear.';

type StatusWords = Pick<ConnectionStatusView, 'label' | 'icon' | 'tone' | 'guidance'>;

const offlineRetrying = (error: VoiceErrorInfo | null): StatusWords => ({
  label: 'Offline · retrying',
  icon: 'cloud_off',
  tone: 'warn',
  guidance: error ? `${error.message} ${error.nextStep}` : RECONNECTING_GUIDANCE,
});

function statusWords(phase: ConnectionPhase, error: VoiceErrorInfo | null, isRetrying: boolean): StatusWords {
  switch (phase) {
    case 'signed-out':
      return { label: 'Signed out', icon: 'logout', tone: 'neutral', guidance: 'Sign in to take calls.' };
    case 'fetching-token':
    case 'registering':
      // A first start is progress; the same phases after a failure mean the agent is offline.
      return isRetrying || error
        ? offlineRetrying(error)
        : { label: 'Connecting…', icon: 'sync', tone: 'progress', guidance: 'Getting your phone online. Calls can be placed once it shows Online.' };
    case 'registered':
      return { label: 'Online', icon: 'check_circle', tone: 'ok', guidance: 'Ready to place and receive calls.' };
    case 'unregistered':
      return offlineRetrying(error);
    case 'destroyed':
      // Nothing restarts the phone until the page wakes up again, so the agent is told to act.
      return { label: 'Phone stopped', icon: 'cloud_off', tone: 'warn', guidance: 'The browser stopped the phone, so calls cannot reach you. Press “Try again” to go online.' };
    case 'standby': {
      const inAnotherTab = describeAppError('PhoneInAnotherTab');
      return { label: 'In another tab', icon: 'tab', tone: 'neutral', guidance: `${inAnotherTab.message} ${inAnotherTab.nextStep}` };
    }
    case 'error':
      // The reducer moves here only for what a human must fix; retried failures stay 'unregistered'.
      return {
        label: error?.code ? `Not connected · error ${error.code}` : 'Not connected',
        icon: 'error',
        tone: 'error',
        guidance: error ? `${error.message} ${error.nextStep} “Try again” reconnects once that is fixed.` : 'The phone stopped. Press “Try again” to go online.',
      };
  }
}

export function toStatusView(
  phase: ConnectionPhase,
  error: VoiceErrorInfo | null,
  retry: { readonly attempt: number } | null,
): ConnectionStatusView {
  const isRetrying = phase === 'unregistered' || ((phase === 'fetching-token' || phase === 'registering') && retry !== null);
  return {
    phase,
    ...statusWords(phase, error, isRetrying),
    error: phase === 'registered' ? null : error,
    isRetrying,
    canReconnect: phase === 'error' || phase === 'destroyed',
    canTakeOver: phase === 'standby',
  };
}

function toCallView(entry: CallEntry): CallView {
  return {
    callId: entry.callId,
    direction: entry.direction,
    phase: entry.phase,
    remote: entry.remote,
    callSid: entry.callSid,
    customParameters: entry.customParameters,
    isCallerVerified: entry.isCallerVerified,
    isMuted: entry.isMuted,
    isWaiting: entry.isWaiting,
    connectedAt: entry.connectedAt,
    reconnectingSince: entry.reconnectingSince,
    canControl: isConnectedCall(entry.phase),
    monitor: monitorCallOf(entry),
  };
}

function toEndedCallView(entry: CallEntry): EndedCallView | null {
  if (entry.phase !== 'closed' || !entry.outcome) return null;
  return {
    callId: entry.callId,
    remote: entry.remote,
    outcome: entry.outcome,
    outcomeText: describeCallOutcome(entry.outcome),
    guidance: entry.outcome.kind === 'failed' ? entry.outcome.error.nextStep : null,
  };
}

export const selectConnectionStatus = createSelector(
  connectionFeature.selectPhase,
  connectionFeature.selectError,
  connectionFeature.selectRetry,
  toStatusView,
);

/** What stops the agent from dialing right now, or null. */
export const selectDialBlocker = createSelector(
  connectionFeature.selectPhase,
  audioDevicesFeature.selectPermission,
  audioDevicesFeature.selectPermissionError,
  callFeature.selectActiveCall,
  (phase, permission, permissionError, activeCall): VoiceErrorInfo | null => {
    if (permission === 'denied') return permissionError ?? describeAppError('MicrophoneDenied');
    if (permission !== 'granted') return describeAppError('MicrophoneNotChecked');
    if (phase === 'standby') return describeAppError('PhoneInAnotherTab');
    if (phase !== 'registered') return describeAppError('PhoneOffline');
    if (activeCall) return describeAppError('CallInProgress');
    return null;
  },
);

/** Why the call button is disabled (the next step), or null. */
export const selectDialDisabledReason = createSelector(selectDialBlocker, (blocker) => blocker?.nextStep ?? null);

export const selectCanDial = createSelector(selectDialDisabledReason, (reason) => reason === null);

export const selectCanPlaceCalls = createSelector(
  connectionFeature.selectPhase,
  audioDevicesFeature.selectPermission,
  (phase, permission) => phase === 'registered' && canPlaceCalls(permission),
);

const selectIncomingCalls = createSelector(callFeature.selectCallList, (list) => list.filter((c) => c.phase === 'pending'));

const selectEndedCall = createSelector(callFeature.selectCallList, selectFarEnd, (list, farEnd) => {
  for (let i = list.length - 1; i >= 0; i--) {
    const ended = toEndedCallView(withFarEndOutcome(list[i], farEnd));
    if (ended) return ended;
  }
  return null;
});

export const selectActiveCallQuality = createSelector(
  callFeature.selectActiveCall,
  qualityFeature.selectByCall,
  (active, byCall): LiveQualityView | null => {
    if (!active) return null;
    const quality = byCall[active.callId];
    const warnings = quality?.activeWarnings ?? [];
    const latest = quality && quality.samples.length > 0 ? quality.samples[quality.samples.length - 1] : null;
    return {
      level: qualityLevel(warnings, latest),
      warnings: warnings.map((name) => ({ name, title: QUALITY_WARNING_TEXT[name].title, remediation: QUALITY_WARNING_TEXT[name].remediation })),
      latest,
      summary: quality?.summary ?? null,
    };
  },
);

/** The three-level indicator alone (good/fair/poor), null without an active call. */
export const selectQualityLevel = createSelector(selectActiveCallQuality, (q) => q?.level ?? null);

export const selectSoftphoneViewModel = createSelector(
  selectConnectionStatus,
  connectionFeature.selectIdentity,
  connectionFeature.selectDisplayName,
  audioDevicesFeature.selectPermission,
  audioDevicesFeature.selectPermissionError,
  selectDialDisabledReason,
  callFeature.selectActiveCall,
  selectIncomingCalls,
  selectEndedCall,
  selectActiveCallQuality,
  audioDevicesFeature.selectNotice,
  selectFarEnd,
  selectCustomerJoinedAt,
  (status, identity, displayName, permission, permissionError, dialDisabledReason, active, incoming, endedCall, quality, deviceNotice, farEnd, customerJoinedAt): SoftphoneViewModel => {
    const ringing = incoming.filter((c) => !active || c.callId !== active.callId);
    const waiting = active ? ringing[0] ?? null : null;
    return {
      status,
      agent: identity ? { identity, displayName } : null,
      microphone: {
        permission,
        guidance: permission === 'denied' ? (permissionError ?? describeAppError('MicrophoneDenied')).nextStep : null,
      },
      canDial: dialDisabledReason === null,
      dialDisabledReason,
      activeCall: active ? farEndView(toCallView(active), farEnd, customerJoinedAt) : null,
      incomingCall: !active && ringing.length > 0 ? toCallView(ringing[0]) : null,
      waitingCall: waiting ? toCallView(waiting) : null,
      endedCall: active ? null : endedCall,
      quality,
      deviceNotice,
    };
  },
);

export interface SettingsViewModel {
  readonly permission: MicrophonePermission;
  readonly permissionGuidance: string | null;
  readonly inputs: readonly AudioDevice[];
  readonly outputs: readonly AudioDevice[];
  readonly selectedInputId: string | null;
  readonly selectedOutputId: string | null;
  /** Where calls ring (chosen from `outputs`); null: the default. */
  readonly selectedRingtoneId: string | null;
  readonly isOutputSelectionSupported: boolean;
  readonly inputLevel: number;
  readonly speakerTest: SpeakerTestStatus;
  readonly logLevel: VoiceLogLevel | null;
  readonly notice: DeviceNotice | null;
  readonly lastError: VoiceErrorInfo | null;
  /** The agent's edge choice and whether it is in effect yet. */
  readonly edgePreference: EdgePreference;
  readonly edgeStatus: EdgeApplyStatus;
  readonly edgeError: VoiceErrorInfo | null;
}

export const selectSettingsViewModel = createSelector(
  audioDevicesFeature.selectAudioDevicesState,
  connectionFeature.selectLogLevel,
  edgeFeature.selectEdgeState,
  (audio, logLevel, edge): SettingsViewModel => ({
    permission: audio.permission,
    permissionGuidance: audio.permission === 'denied' ? (audio.permissionError ?? describeAppError('MicrophoneDenied')).nextStep : null,
    inputs: audio.inputs,
    outputs: audio.outputs,
    selectedInputId: audio.selectedInput?.deviceId ?? null,
    selectedOutputId: audio.selectedOutput?.deviceId ?? null,
    selectedRingtoneId: audio.selectedRingtone?.deviceId ?? null,
    isOutputSelectionSupported: audio.isOutputSelectionSupported,
    inputLevel: audio.inputLevel,
    speakerTest: audio.speakerTest,
    logLevel,
    notice: audio.notice,
    lastError: audio.lastError,
    edgePreference: edge.preference,
    edgeStatus: edge.status,
    edgeError: edge.error,
  }),
);

/** Copyable diagnostics (Settings): versions, edge, Call SID, recent warnings and errors. */
export interface VoiceDiagnostics {
  readonly sdkVersion: string | null;
  readonly edge: string | null;
  readonly connectionPhase: ConnectionPhase;
  readonly identity: string | null;
  readonly callSid: string | null;
  readonly recentWarnings: readonly QualityWarningName[];
  readonly recentErrors: readonly { readonly code: number | null; readonly name: string; readonly message: string; readonly at: string }[];
}

export const selectVoiceDiagnostics = createSelector(
  connectionFeature.selectConnectionState,
  callFeature.selectCallList,
  qualityFeature.selectQualityState,
  (connection, calls, quality): VoiceDiagnostics => {
    const lastWithSid = [...calls].reverse().find((c) => c.callSid !== null) ?? null;
    const warnings = new Set<QualityWarningName>();
    for (const id of quality.order) for (const w of quality.byCall[id].summary.warningsSeen) warnings.add(w);
    return {
      sdkVersion: connection.sdkVersion,
      edge: connection.edge,
      connectionPhase: connection.phase,
      identity: connection.identity,
      callSid: lastWithSid?.callSid ?? null,
      recentWarnings: [...warnings],
      recentErrors: connection.recentErrors.map(({ error, at }) => ({
        code: error.code,
        name: error.name,
        message: error.message,
        at: new Date(at).toISOString(),
      })),
    };
  },
);
