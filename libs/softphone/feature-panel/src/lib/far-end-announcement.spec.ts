import type { FarEndStatus } from '@switchboard/shared-contracts';
import { selectSoftphoneViewModel, type CallEntry, type FarEndState } from '@switchboard/softphone-data-access-voice';
import { voiceRootState } from '@switchboard/softphone-data-access-voice/testing';
import { announcementFor } from './softphone-announcer';

const SID = 'CA' + '1'.repeat(32);

/** The agent's phone call to +1 415 555 0111, anchored in their conference, as the real selectors show it. */
function viewModel(entry: Partial<CallEntry>, far: FarEndStatus | null) {
  const call = {
    callId: 'c1', direction: 'outgoing', phase: 'open', remote: '+14155550111', callSid: SID, customParameters: {},
    isCallerVerified: null, isMuted: false, isWaiting: false, hasEarlyMedia: true, startedAt: 0, connectedAt: 10,
    reconnectingSince: null, endedAt: null, endedByAgent: false, lastError: null, outcome: null, messages: [], ...entry,
  } as CallEntry;
  const farEnd: Partial<FarEndState> | undefined = far === null ? undefined : { callSid: SID, status: far, answeredAt: far === 'answered' ? 42 : null };
  return selectSoftphoneViewModel(
    voiceRootState({
      connection: { phase: 'registered', identity: 'bob' },
      audioDevices: { permission: 'granted' },
      call: { calls: { c1: call }, order: ['c1'] },
      ...(farEnd ? { farEnd } : {}),
    }),
  );
}

describe('what a screen-reader user hears of an anchored phone call (call.far-end)', () => {
  it('ringing while the number rings, connected at its answer', () => {
    const dialing = viewModel({ phase: 'dialing', callSid: null, connectedAt: null }, 'ringing');
    const ringing = viewModel({}, 'ringing');
    const answered = viewModel({}, 'answered');
    expect(announcementFor(dialing, ringing)?.text).toBe('Ringing +1 415 555 0111.');
    expect(announcementFor(ringing, answered)?.text).toBe('Connected to +1 415 555 0111.');
  });

  it('a miss is said as the outcome when the call ends, not as an ordinary hang-up', () => {
    const ringing = viewModel({}, 'ringing');
    const ended = viewModel({ phase: 'closed', endedAt: 30, outcome: { kind: 'completed' } }, 'no-answer');
    expect(announcementFor(ringing, ended)?.text).toBe('No answer.');
  });

  it('without the event (old API, live channel down): connected when the SDK call opens, as before', () => {
    const dialing = viewModel({ phase: 'dialing', callSid: null, connectedAt: null }, null);
    expect(announcementFor(dialing, viewModel({}, null))?.text).toBe('Connected to +1 415 555 0111.');
  });
});
