import { toStatusView, type CallView, type SoftphoneViewModel } from '@switchboard/softphone-data-access-voice';

/** A signed-in, online agent with nothing going on; specs override what they test. */
export function idleViewModel(patch: Partial<SoftphoneViewModel> = {}): SoftphoneViewModel {
  return {
    status: toStatusView('registered', null, null),
    agent: { identity: 'alice', displayName: 'Alice Adams' },
    microphone: { permission: 'granted', guidance: null },
    canDial: true,
    dialDisabledReason: null,
    activeCall: null,
    incomingCall: null,
    waitingCall: null,
    endedCall: null,
    quality: null,
    deviceNotice: null,
    ...patch,
  };
}

export function callView(patch: Partial<CallView> = {}): CallView {
  return {
    callId: 'call-1',
    direction: 'outgoing',
    phase: 'open',
    remote: '+14155550100',
    callSid: 'CA1',
    customParameters: {},
    isCallerVerified: null,
    isMuted: false,
    isWaiting: false,
    connectedAt: Date.now(),
    reconnectingSince: null,
    canControl: true,
    monitor: null,
    ...patch,
  };
}
