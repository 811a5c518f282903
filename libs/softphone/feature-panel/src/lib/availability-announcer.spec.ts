import type { AvailabilityAnnouncementSource, UnreachableView } from '@switchboard/softphone-data-access-availability';
import { availabilityAnnouncementFor, type AvailabilityAnnouncementInput } from './availability-announcer';

const quiet: AvailabilityAnnouncementInput = { change: null, unreachable: null, reachabilityKnown: false, problem: null };
const change = (patch: Partial<AvailabilityAnnouncementSource>): AvailabilityAnnouncementSource => ({
  key: 'k1', state: 'available', stateWords: 'Available', by: { kind: 'self' }, previous: 'away', ...patch,
});
const frozen: UnreachableView = { reason: 'tab-frozen', words: 'Tab frozen by the browser', nextStep: 'Bring this tab to the front.' };
const names = (identity: string) => (identity === 'sam' ? 'Sam Supervisor' : identity);

describe('availabilityAnnouncementFor', () => {
  it.each([
    ['the agent\'s own choice', change({ state: 'away', stateWords: 'Away: Lunch', previous: 'available' }), 'You are Away: Lunch.', false],
    ['a supervisor\'s change, by name', change({ by: { kind: 'supervisor', identity: 'sam' } }), 'Sam Supervisor set you to Available.', true],
    ['the start of wrap-up', change({ state: 'wrap-up', stateWords: 'Wrap-up', by: { kind: 'system' }, previous: 'on-call' }), 'Wrap-up: choose a disposition, then press Done.', false],
    ['the wrap-up timer ending it', change({ by: { kind: 'system' }, previous: 'wrap-up' }), 'Wrap-up time is over. You are Available.', false],
  ] as const)('says %s', (_, source, text, assertive) => {
    expect(availabilityAnnouncementFor(quiet, { ...quiet, change: source }, names)).toEqual({ text, assertive });
  });

  it('says a change once: the same key again is silent', () => {
    const once = { ...quiet, change: change({}) };
    expect(availabilityAnnouncementFor(once, once, names)).toBeNull();
    expect(availabilityAnnouncementFor(once, { ...once, change: change({ key: 'k2' }) }, names)?.text).toBe('You are Available.');
  });

  it('says assertively that the phone cannot ring, with what to do, and politely when it can again', () => {
    const unreachable = { ...quiet, unreachable: frozen, reachabilityKnown: true };
    expect(availabilityAnnouncementFor(quiet, unreachable, names)).toEqual({
      text: 'Your phone cannot ring: Tab frozen by the browser. Bring this tab to the front.', assertive: true,
    });
    expect(availabilityAnnouncementFor(unreachable, { ...quiet, reachabilityKnown: true }, names)).toEqual({ text: 'Your phone can ring again.', assertive: false });
    // Signing out forgets reachability: nothing to say then.
    expect(availabilityAnnouncementFor(unreachable, quiet, names)).toBeNull();
  });

  it('says a refused change with what to do', () => {
    const problem = { message: 'You are on a call.', nextStep: 'Wait for the current call or wrap-up to end, then choose again.' };
    expect(availabilityAnnouncementFor(quiet, { ...quiet, problem }, names)).toEqual({
      text: 'Your status was not changed. You are on a call. Wait for the current call or wrap-up to end, then choose again.', assertive: true,
    });
  });
});
