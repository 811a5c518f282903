import { CALL_STATUSES, isCallStatus, isTerminalCallStatus, TERMINAL_CALL_STATUSES } from './call-status';

describe('call statuses', () => {
  it('lists the terminal statuses last, after every status a live call passes through', () => {
    expect(CALL_STATUSES.slice(-TERMINAL_CALL_STATUSES.length)).toEqual(TERMINAL_CALL_STATUSES);
  });

  it('tells known statuses from anything else a callback may carry', () => {
    expect(isCallStatus('in-progress')).toBe(true);
    expect(isCallStatus('answered')).toBe(false);
    expect(isCallStatus('')).toBe(false);
  });

  it('ends a call only on a terminal status', () => {
    expect(CALL_STATUSES.filter(isTerminalCallStatus)).toEqual(['completed', 'busy', 'no-answer', 'canceled', 'failed']);
  });
});
