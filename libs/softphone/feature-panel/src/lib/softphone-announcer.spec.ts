import type { CallParticipant } from '@switchboard/shared-contracts';
import { describeVoiceError } from '@switchboard/shared-voice-model';
import { initialCallControlState, toCallControlView, toStatusView, type CallControlState } from '@switchboard/softphone-data-access-voice';
import { announcementFor, callControlAnnouncementFor } from './softphone-announcer';
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

describe('callControlAnnouncementFor', () => {
  const view = (patch: Partial<CallControlState>) => toCallControlView({ ...initialCallControlState, callSid: 'CA1', controllable: true, ...patch });

  it('says nothing for calls without call control, or when nothing changed', () => {
    expect(callControlAnnouncementFor(null, toCallControlView(initialCallControlState))).toBeNull();
    expect(callControlAnnouncementFor(view({ phase: 'held' }), view({ phase: 'held' }))).toBeNull();
  });

  it('announces hold and resume in words', () => {
    expect(callControlAnnouncementFor(view({ phase: 'holding' }), view({ phase: 'held' }))).toEqual({ text: 'Caller on hold.', assertive: false });
    expect(callControlAnnouncementFor(view({ phase: 'resuming' }), view({ phase: 'idle-in-call' }))?.text).toBe('With the caller.');
  });

  it('announces the transfer\'s progress, and a return of the caller assertively with the reason', () => {
    const ringing = view({ phase: 'transfer-ringing', transfer: { transferId: 'T', mode: 'cold', targetDisplay: 'Bob Brown', status: 'ringing-target' } });
    expect(callControlAnnouncementFor(view({ phase: 'choosing-target' }), ringing)?.text).toBe('Transfer to Bob Brown: Ringing the transfer target.');
    const back = view({ phase: 'returned-to-you', transfer: { transferId: 'T', mode: 'cold', targetDisplay: 'Bob Brown', status: 'declined' } });
    expect(callControlAnnouncementFor(ringing, back)).toEqual({ text: 'Transfer to Bob Brown: Declined. The caller is back with you.', assertive: true });
  });

  it('announces a refusal with its next step', () => {
    const refused = view({ phase: 'idle-in-call', problem: { code: 'call-gone', message: 'The call ended.', nextStep: 'Nothing else to do.' } });
    expect(callControlAnnouncementFor(view({ phase: 'holding' }), refused)?.text).toBe('The call ended. Nothing else to do.');
  });

  it('announces the rejoin offer once, with the time left and the shortcut', () => {
    const now = Date.parse('2026-12-06T09:00:00.000Z');
    const offered = view({ phase: 'rejoin-offered', rejoinable: { callSid: 'CA1', customerDisplay: 'Caller', expiresAt: '2026-12-06T09:01:00.000Z' } });
    expect(callControlAnnouncementFor(toCallControlView(initialCallControlState), offered, now)).toEqual({
      text: 'Caller is waiting on hold. Press Alt+J to rejoin the call within 60 seconds.',
      assertive: true,
    });
    expect(callControlAnnouncementFor(offered, offered, now + 5_000)).toBeNull();
  });

  const person = (participantId: string, displayName: string, identity: string | null): CallParticipant => ({
    participantId, displayName, identity, maskedNumber: identity ? null : '+1 ••• ••• 0100', role: identity ? 'agent' : 'customer',
    held: false, muted: false, joinedAt: '2026-12-06T09:00:00.000Z',
  });
  const caller = person('c', 'Caller', null);
  const me = person('a', 'Alice Adams', 'alice');
  const bob = person('b', 'Bob Brown', 'bob');

  it('announces who joined and who left, never the agent themself, and not the first list of a call', () => {
    const first = view({ phase: 'idle-in-call', participants: [caller, me] });
    expect(callControlAnnouncementFor(view({ phase: 'no-call', controllable: false }), first, 0, 'alice')?.text).toBe('With the caller.');
    const consult = view({ phase: 'idle-in-call', participants: [caller, me, bob] });
    expect(callControlAnnouncementFor(first, consult, 0, 'alice')).toEqual({ text: 'Bob Brown joined the call.', assertive: false });
    expect(callControlAnnouncementFor(consult, first, 0, 'alice')?.text).toBe('Bob Brown left the call.');
    expect(callControlAnnouncementFor(view({ phase: 'idle-in-call', participants: [caller] }), first, 0, 'alice')).toBeNull();
  });

  it('announces the consult\'s progress and what each consult action did', () => {
    const ringing = view({ phase: 'consult-ringing', transfer: { transferId: 'T', mode: 'consult', targetDisplay: 'Bob Brown', status: 'ringing-target' } });
    const answered = view({ phase: 'consulting', transfer: { transferId: 'T', mode: 'consult', targetDisplay: 'Bob Brown', status: 'answered' } });
    expect(callControlAnnouncementFor(ringing, answered)?.text).toBe('Consult with Bob Brown: Answered.');
    const talking = { transferId: 'T', mode: 'consult', targetDisplay: 'Bob Brown', status: 'answered' } as const;
    expect(callControlAnnouncementFor(view({ phase: 'cancelling', transfer: talking }), view({ phase: 'idle-in-call' }))?.text).toBe('Consult cancelled. With the caller.');
    const together = view({ phase: 'three-way', transfer: talking });
    expect(callControlAnnouncementFor(view({ phase: 'joining-three-way', transfer: talking }), together)?.text).toBe('Everyone is together. Three-way call.');
    const completed = view({ phase: 'transferred', transfer: talking });
    expect(callControlAnnouncementFor(view({ phase: 'completing' }), completed)?.text).toBe('Consult with Bob Brown: Answered. You are free for the next call.');
  });

  it('announces a transfer that nobody answered with the reason, from the live status words', () => {
    const ringing = view({ phase: 'transfer-ringing', transfer: { transferId: 'T', mode: 'cold', targetDisplay: '+1 415 555 0111', status: 'ringing-target' } });
    const missed = view({ phase: 'returned-to-you', transfer: { transferId: 'T', mode: 'cold', targetDisplay: '+1 415 555 0111', status: 'no-answer' } });
    expect(callControlAnnouncementFor(ringing, missed)).toEqual({ text: 'Transfer to +1 415 555 0111: No answer. The caller is back with you.', assertive: true });
  });

  it.each([
    ['declined', 'Transfer to Alice Smith: Declined. The caller is back with you.'],
    ['busy', 'Transfer to Alice Smith: Busy. The caller is back with you.'],
    ['failed', 'Transfer to Alice Smith: Transfer failed. The caller is back with you.'],
  ] as const)('announces a transfer that came back %s assertively, once, in the live status words', (status, text) => {
    const ringing = view({ phase: 'transfer-ringing', transfer: { transferId: 'T', mode: 'cold', targetDisplay: 'Alice Smith', status: 'ringing-target' } });
    const missed = view({ phase: 'returned-to-you', transfer: { transferId: 'T', mode: 'cold', targetDisplay: 'Alice Smith', status } });
    expect(callControlAnnouncementFor(ringing, missed)).toEqual({ text, assertive: true });
    expect(callControlAnnouncementFor(missed, missed)).toBeNull();
  });

  it('announces the rescue\'s end: rejoined, or expired (assertively), or the server\'s 410', () => {
    const rejoining = view({ phase: 'rejoining', rejoinable: { callSid: 'CA1', customerDisplay: 'Caller', expiresAt: '2026-12-06T09:01:00.000Z' } });
    expect(callControlAnnouncementFor(rejoining, view({ phase: 'back-in-call' }))?.text).toBe('Back in the call (the caller is on hold).');
    expect(callControlAnnouncementFor(rejoining, view({ phase: 'expired', controllable: false }))).toEqual({
      text: 'The caller could no longer wait and went to voicemail.',
      assertive: true,
    });
    const gone = view({ phase: 'expired', controllable: false, problem: { code: 'call-gone', message: 'The rejoin window has passed.', nextStep: 'x' } });
    expect(callControlAnnouncementFor(rejoining, gone)?.text).toBe('The call can no longer be rejoined: The rejoin window has passed.');
  });
});
