import { describeAppError, describeVoiceError } from '@switchboard/shared-voice-model';
import { BehaviorSubject } from 'rxjs';
import { voiceRootState } from '../testing';
import { logRefusedMoves } from './refused-moves.effects';
import { storeOf } from './testing-support/spec-helpers';
import type { CallEntry } from './call/call.feature';
import { selectSoftphoneViewModel, selectVoiceDiagnostics } from './softphone.selectors';

const call = (patch: Partial<CallEntry>): CallEntry =>
  ({
    callId: 'c1',
    direction: 'outgoing',
    phase: 'open',
    remote: '+14155550111',
    callSid: 'CA1',
    customParameters: {},
    isCallerVerified: null,
    isMuted: false,
    isWaiting: false,
    hasEarlyMedia: false,
    startedAt: 0,
    connectedAt: 10,
    reconnectingSince: null,
    endedAt: null,
    endedByAgent: false,
    lastError: null,
    outcome: null,
    messages: [],
    ...patch,
  }) as CallEntry;

describe('selectSoftphoneViewModel', () => {
  it('online with a microphone: can dial, status Online', () => {
    const vm = selectSoftphoneViewModel(voiceRootState({ connection: { phase: 'registered', identity: 'alice' }, audioDevices: { permission: 'granted' } }));
    expect(vm).toMatchObject({ canDial: true, dialDisabledReason: null, status: { label: 'Online', tone: 'ok', guidance: 'Ready to place and receive calls.' } });
  });

  it('microphone denied: still online for incoming calls, dialing disabled with the browser guidance', () => {
    const vm = selectSoftphoneViewModel(
      voiceRootState({ connection: { phase: 'registered' }, audioDevices: { permission: 'denied', permissionError: describeAppError('MicrophoneDenied') } }),
    );
    expect(vm.status.phase).toBe('registered');
    expect(vm.canDial).toBe(false);
    expect(vm.dialDisabledReason).toContain('Allow microphone access');
    expect(vm.microphone.guidance).toBe(vm.dialDisabledReason);
  });

  it('offline and retrying: the chip says so, with the next step from the error vocabulary', () => {
    const vm = selectSoftphoneViewModel(
      voiceRootState({ connection: { phase: 'unregistered', error: describeVoiceError(31005), retry: { attempt: 2, delayMs: 2000 } }, audioDevices: { permission: 'granted' } }),
    );
    expect(vm.status).toMatchObject({ label: 'Offline · retrying', tone: 'warn', isRetrying: true });
    expect(vm.status.guidance).toBe(`${describeVoiceError(31005).message} ${describeVoiceError(31005).nextStep}`);
    expect(vm.dialDisabledReason).toBe(describeAppError('PhoneOffline').nextStep);
  });

  it('another tab has the phone: the chip says where, offers "Use this tab", and dialing explains it', () => {
    const vm = selectSoftphoneViewModel(voiceRootState({ connection: { phase: 'standby', identity: 'alice' }, audioDevices: { permission: 'granted' } }));
    expect(vm.status).toMatchObject({ label: 'In another tab', tone: 'neutral', canTakeOver: true, canReconnect: false, isRetrying: false });
    expect(vm.status.guidance).toContain('Use this tab');
    expect(vm.canDial).toBe(false);
    expect(vm.dialDisabledReason).toBe(describeAppError('PhoneInAnotherTab').nextStep);
  });

  it('error needing a human: the chip names the code, the guidance says what happened and what to do, and "Try again" is offered', () => {
    const vm = selectSoftphoneViewModel(voiceRootState({ connection: { phase: 'error', error: describeVoiceError(20151) } }));
    expect(vm.status).toMatchObject({ label: 'Not connected · error 20151', tone: 'error', canReconnect: true });
    expect(vm.status.guidance).toContain(describeVoiceError(20151).message);
    expect(vm.status.guidance).toContain(describeVoiceError(20151).nextStep);
    expect(vm.status.guidance).toContain('Try again');
  });

  it('a phone the browser stopped says so and asks for "Try again"', () => {
    const vm = selectSoftphoneViewModel(voiceRootState({ connection: { phase: 'destroyed', identity: 'alice' } }));
    expect(vm.status).toMatchObject({ label: 'Phone stopped', tone: 'warn', canReconnect: true, isRetrying: false });
    expect(vm.status.guidance).toContain('Press “Try again”');
  });

  it('call waiting: the active call and the waiting one are shown apart, with live quality', () => {
    const vm = selectSoftphoneViewModel(
      voiceRootState({
        connection: { phase: 'registered' },
        audioDevices: { permission: 'granted' },
        call: { calls: { c1: call({}), c2: call({ callId: 'c2', direction: 'incoming', phase: 'pending', isWaiting: true, remote: '+15555550177' }) }, order: ['c1', 'c2'] },
        quality: {
          order: ['c1'],
          byCall: {
            c1: {
              activeWarnings: ['high-packet-loss'],
              samples: [{ timestamp: 1, mos: 3.2, rtt: 90, jitter: 5, packetLossPercent: 3 }],
              summary: { sampleCount: 1, mosSampleCount: 1, minMos: 3.2, avgMos: 3.2, maxRtt: 90, maxJitter: 5, maxPacketLossPercent: 3, warningsSeen: ['high-packet-loss'] },
              volume: { input: 0, output: 0 },
            },
          },
        },
      }),
    );
    expect(vm.activeCall).toMatchObject({ callId: 'c1', canControl: true });
    expect(vm.waitingCall).toMatchObject({ callId: 'c2', remote: '+15555550177' });
    expect(vm.incomingCall).toBeNull();
    expect(vm.quality).toMatchObject({ level: 'poor', latest: { mos: 3.2 }, warnings: [{ name: 'high-packet-loss', title: 'Audio dropping out' }] });
    expect(vm.dialDisabledReason).toBe('Hang up the current call first.');
  });

  it('an ended call shows its human outcome until a new call', () => {
    const vm = selectSoftphoneViewModel(voiceRootState({ call: { calls: { c1: call({ phase: 'closed', outcome: { kind: 'busy' } }) }, order: ['c1'] } }));
    expect(vm.endedCall).toMatchObject({ callId: 'c1', outcomeText: 'Line busy', guidance: null });
    expect(vm.activeCall).toBeNull();
  });
});

describe('selectVoiceDiagnostics', () => {
  it('collects SDK version, edge, last Call SID, warnings seen and recent errors', () => {
    const d = selectVoiceDiagnostics(
      voiceRootState({
        connection: { sdkVersion: '2.18.5', edge: 'ashburn', recentErrors: [{ error: describeVoiceError(31005), at: Date.UTC(2026, 10, 24) }] },
        call: { calls: { c1: call({ callSid: 'CA9' }) }, order: ['c1'] },
      }),
    );
    expect(d).toMatchObject({ sdkVersion: '2.18.5', edge: 'ashburn', callSid: 'CA9', recentErrors: [{ code: 31005, at: '2026-11-24T00:00:00.000Z' }] });
  });
});

describe('logRefusedMoves', () => {
  it('reports each refused move in development, and nothing when disabled', () => {
    const seen: [string, unknown][] = [];
    const refused = { from: 'signed-out', to: 'registered', event: 'x' };
    const state = voiceRootState({ connection: { rejected: refused as never } });
    logRefusedMoves(storeOf(new BehaviorSubject(state)), (slice, move) => seen.push([slice, move]), true).subscribe();
    expect(seen).toEqual([['connection', refused]]);
    const none: [string, unknown][] = [];
    logRefusedMoves(storeOf(new BehaviorSubject(state)), (slice, move) => none.push([slice, move]), false).subscribe();
    expect(none).toEqual([]);
  });
});
