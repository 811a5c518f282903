/**
 * @switchboard/softphone-data-access-voice: the softphone's voice state (NgRx).
 *
 * API summary (for containers in feature-*, the app shell and data-access-api):
 * - provideVoiceState(config?)   five slices (connection, call, quality, audioDevices, edge) + effects.
 *   Also provide: VOICE_PORT (provideTwilioVoice() from softphone-voice-sdk-adapter) and
 *   VOICE_TOKEN_SOURCE ({ issue(): Observable<VoiceTokenResponse> }, data-access-api over HTTP).
 *   NUMBER_POLICY_CHECK (asked before dialling a phone number; data-access-api over HTTP).
 *   Browser ports: MICROPHONE_ACCESS, PAGE_LIFECYCLE, TAB_LEADERSHIP, DEVICE_PREFERENCES_STORAGE (provideBrowserAdapters() from
 *   softphone-browser-adapters). Optional: VOICE_CLOCK (defaults to Date.now); DESKTOP_NOTIFICATIONS and DOCUMENT_TITLE
 *   (provideBrowserAdapters(); without them no notification is shown and the title does not flash).
 * - Ringing alerts (issue 13): a call ringing in a hidden tab shows a desktop notification (closed when it stops ringing) and
 *   flashes the tab title. Settings: selectDesktopNotificationsView; dispatch DesktopNotificationSettingsActions.enableClicked()
 *   (the only place permission is asked). Ringtone device: SoftphoneSettingsActions.ringtoneDeviceSelected({ deviceId }).
 * - Dispatch:
 *   SessionEvents.signedIn({ agent: { identity, displayName } }) / signedOut()   (sign-in feature)
 *   SoftphonePanelActions.dialSubmitted({ to, params? }) answerClicked({ callId }) declineClicked
 *     ignoreClicked hangUpClicked muteClicked unmuteClicked digitsPressed({ callId, digits })
 *     messageSubmitted({ callId, content }) endedCallDismissed({ callId }) reconnectClicked() useThisTabClicked()
 *   SoftphoneSettingsActions.inputDeviceSelected({ deviceId }) outputDeviceSelected({ deviceId })
 *     speakerTestClicked() logLevelChanged({ level }) microphoneCheckClicked() deviceNoticeDismissed()
 *     edgePreferenceSelected({ preference })   (applied now, or when the live call ends; persisted)
 * - Read (store.selectSignal(...)):
 *   selectSoftphoneViewModel → SoftphoneViewModel (status chip, dial guard, active/incoming/waiting
 *     call, ended call with outcome text, live quality with remediation, device notice)
 *   selectSettingsViewModel → SettingsViewModel; selectVoiceDiagnostics → VoiceDiagnostics
 *   selectConnectionStatus, selectCanDial, selectDialDisabledReason, selectQualityLevel,
 *   and each feature's selectors (connectionFeature, callFeature, qualityFeature, audioDevicesFeature).
 * - Call control (issue 12): callControlFeature, selectCallControlView → CallControlView; dispatch
 *   CallControlPanelActions (hold/resume/transfer/consult/rejoin), CallControlLiveEvents (from the SSE client:
 *   liveCallParticipants, liveTransferStatus, rescueAvailable, farEndChanged). Optional ports CALL_CONTROL_PORT, CALL_LIVE_EVENTS_PORT (data-access-api).
 *   Hang-up of an anchored call (selectAnchoredLeg) asks the API first, and disconnects locally if it fails or is slow
 *   (VoiceStateConfig.hangUpApiTimeoutMs). Answering a waiting call leaves an anchored one the same way, and so does
 *   sign-out: await LeaveCallsBeforeSignOut.leave() before ending the session (the API still knows the agent); once registered, and after each reopening of the live stream, the calls to
 *   rejoin are asked for and offered (rescueAvailable).
 * - Far end (farEndFeature, `call.far-end`): an anchored phone call shows as ringing (no timer) until its number answers, though
 *   its SDK call is open; the timer starts at the answer; a miss is the ended call's outcome. No event: the SDK's view, as before.
 * - Testing: '@switchboard/softphone-data-access-voice/testing' exports FakeVoicePort, FakeCallControlPort,
 *   FakeVoiceTokenSource, FakeNumberPolicyCheck, FakeMicrophoneAccess, FakePageLifecycle, FakeTabLeadership, InMemoryDevicePreferences.
 */
export { provideVoiceState } from './lib/provide-voice-state';
export { DEFAULT_VOICE_STATE_CONFIG, VOICE_CLOCK, VOICE_STATE_CONFIG, type VoiceClock, type VoiceStateConfig } from './lib/voice-state.config';

export {
  VOICE_PORT,
  type CallMediaEvent,
  type OutgoingCallRequest,
  type PreflightEvent,
  type PreflightReportData,
  type PreflightRunOptions,
  type VoicePort,
} from './lib/ports/voice-port';
export { MICROPHONE_ACCESS, type BrowserMicrophonePermission, type MicrophoneAccess, type MicrophoneCheckResult } from './lib/ports/microphone-access';
export { isPhoneNumberTarget, NUMBER_POLICY_CHECK, type NumberPolicyCheck } from './lib/ports/number-policy-check';
export { VOICE_TOKEN_SOURCE, type VoiceTokenSource } from './lib/ports/voice-token-source';
export { PAGE_LIFECYCLE, type PageLifecycle, type PageLifecycleEvent, type UnloadAttempt } from './lib/ports/page-lifecycle';
export {
  DESKTOP_NOTIFICATIONS,
  type DesktopNotificationPermission,
  type DesktopNotificationRequest,
  type DesktopNotifications,
} from './lib/ports/desktop-notifications';
export { DOCUMENT_TITLE, type DocumentTitle, type TabVisibility } from './lib/ports/document-title';
export { PHONE_LOCK_NAME, TAB_LEADERSHIP, type TabLeadership, type TabRole } from './lib/ports/tab-leadership';
export {
  DEVICE_PREFERENCES_STORAGE,
  NO_DEVICE_PREFERENCES,
  type DevicePreferences,
  type DevicePreferencesStorage,
  type SavedAudioDevice,
} from './lib/ports/device-preferences-storage';

export {
  CALL_CONTROL_PORT,
  isCallControlProblem,
  toCallControlProblem,
  type CallControlPort,
  type CallControlProblem,
} from './lib/ports/call-control-port';
export { CALL_LIVE_EVENTS_PORT, type CallLiveEvent, type CallLiveEventsPort } from './lib/call-control/call-live-events-port';

export { SessionEvents, type VoiceAgent } from './lib/session.actions';
export { SoftphonePanelActions, SoftphoneSettingsActions } from './lib/softphone-panel.actions';
export { DeviceSdkEvents } from './lib/connection/device-sdk.actions';
export { VoiceTokenApiEvents } from './lib/connection/voice-token-api.actions';
export { VoiceRegistrationEvents } from './lib/connection/registration.actions';
export { TabLeadershipEvents } from './lib/connection/tab-leadership.actions';
export { TokenRefreshTimerEvents } from './lib/connection/token-refresh.actions';
export { PageCheckEvents } from './lib/connection/page-checks.actions';
export { CallCommandEvents, CallSdkEvents } from './lib/call/call-sdk.actions';
export { LeaveCallsBeforeSignOut } from './lib/call/leave-before-sign-out';
export { MONITOR_MODE_VERB, MONITOR_TO_PREFIX, MonitorEvents, monitorCallOf, monitorCallRequest, type MonitorCallView } from './lib/call/monitor-call';
export { QualitySdkEvents } from './lib/quality/quality-sdk.actions';
export { EdgeCommandEvents } from './lib/edge/edge.actions';
export { AudioDeviceCommandEvents, AudioSdkEvents, MicrophoneEvents } from './lib/audio-devices/audio-sdk.actions';
export { DesktopNotificationEvents, DesktopNotificationSettingsActions } from './lib/ringing-alerts/ringing-alerts.actions';
export {
  initialRingingAlertsState,
  ringingAlertsFeature,
  selectDesktopNotificationsView,
  type DesktopNotificationsView,
  type RingingAlertsState,
} from './lib/ringing-alerts/ringing-alerts.feature';

export { connectionFeature, initialConnectionState, type ConnectionState, type RecordedVoiceError, type TokenRefreshStatus } from './lib/connection/connection.feature';
export { callFeature, initialCallState, type CallEntry, type CallState, type RefusedCallMove } from './lib/call/call.feature';
export { qualityFeature, initialQualityState, QUALITY_SAMPLE_CAPACITY, type CallQuality, type QualityState } from './lib/quality/quality.feature';
export {
  audioDevicesFeature,
  initialAudioDevicesState,
  type AudioDevicesState,
  type DeviceNotice,
  type SpeakerTestStatus,
} from './lib/audio-devices/audio-devices.feature';

export {
  CallControlApiEvents,
  CallControlLiveEvents,
  CallControlPanelActions,
  CallControlTimerEvents,
} from './lib/call-control/call-control.actions';
export {
  callControlFeature,
  initialCallControlState,
  type CallControlState,
  type RefusedCallControlEvent,
  type TransferProgress,
} from './lib/call-control/call-control.feature';
export {
  rejoinSecondsLeft,
  selectAnchoredLeg,
  selectCallControlView,
  selectCallParticipants,
  selectHeldSince,
  selectRejoinOffer,
  selectTransferStatusText,
  toCallControlView,
  type AnchoredLeg,
  type CallControlView,
  type RejoinOfferView,
} from './lib/call-control/call-control.selectors';
export { edgeFeature, initialEdgeState, type EdgeApplyStatus, type EdgeState } from './lib/edge/edge.feature';
export { farEndFeature, initialFarEndState, type FarEndState } from './lib/far-end/far-end.feature';

export {
  selectActiveCallQuality,
  selectCanDial,
  selectCanPlaceCalls,
  selectConnectionStatus,
  selectDialBlocker,
  selectDialDisabledReason,
  selectQualityLevel,
  selectSettingsViewModel,
  selectSoftphoneViewModel,
  selectVoiceDiagnostics,
  toStatusView,
  type CallView,
  type ConnectionStatusView,
  type EndedCallView,
  type LiveQualityView,
  type QualityWarningView,
  type SettingsViewModel,
  type SoftphoneViewModel,
  type VoiceDiagnostics,
} from './lib/softphone.selectors';
