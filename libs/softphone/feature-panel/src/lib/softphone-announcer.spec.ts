import { describeVoiceError } from '@switchboard/shared-voice-model';
import { toStatusView } from '@switchboard/softphone-data-access-voice';
import { announcementFor } from './softphone-announcer';
import { callView, idleViewModel } from './testing-fixtures';

describe('announcementFor', () => {
  it('says nothing when nothing changed', () => {
    const vm = idleViewModel();
    expect(announcementFor(vm, vm)).toBeNull();
  });

  it('announces connection changes with the next step, assertively for errors', () => {
    const error = describeVoiceError(31401);
    const next = idleViewModel({ status: toStatusView('error', error, null) });
    expect(announcementFor(idleViewModel(), next)).toEqual({ text: `Phone status: Not connected · error 31401. ${next.status.guidance}`, assertive: true });
    expect(next.status.guidance).toContain(error.nextStep);
  });

  it('announces call progress, mute and the outcome', () => {
    const dialing = idleViewModel({ activeCall: callView({ phase: 'dialing' }) });
    const open = idleViewModel({ activeCall: callView({ phase: 'open' }) });
    const muted = idleViewModel({ activeCall: callView({ phase: 'open', isMuted: true }) });
    expect(announcementFor(idleViewModel(), dialing)?.text).toBe('Calling +1 415 555 0100.');
    expect(announcementFor(dialing, open)?.text).toBe('Connected to +1 415 555 0100.');
    expect(announcementFor(dialing, open, (address) => (address === '+14155550100' ? 'Bob Brown (bob)' : address))?.text).toBe('Connected to Bob Brown (bob).');
    expect(announcementFor(open, muted)?.text).toBe('Microphone muted.');
    const ended = idleViewModel({ endedCall: { callId: 'call-1', remote: '+1', outcome: { kind: 'busy' }, outcomeText: 'Line busy', guidance: null } });
    expect(announcementFor(open, ended)?.text).toBe('Line busy.');
  });
});
