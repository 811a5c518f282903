import { lineTestOutcome } from './line-test-words';

describe('lineTestOutcome', () => {
  it('words a finished test by its verdict, with what to do', () => {
    expect(lineTestOutcome({ verdict: 'poor', error: null })).toEqual({
      title: 'Poor', advice: expect.stringContaining('Use a wired connection'), failed: false,
    });
    expect(lineTestOutcome({ verdict: 'excellent', error: null })).toMatchObject({ title: 'Excellent', failed: false });
  });

  it('words a failed test as failed, saying what failed and what to do', () => {
    const outcome = lineTestOutcome({ verdict: 'poor', error: { code: 31005, message: 'Connection error' } });
    expect(outcome.title).toBe('Failed');
    expect(outcome.failed).toBe(true);
    expect(outcome.advice).toMatch(/^The line test failed: /);
  });

  it('tells a stopped test apart from a failure', () => {
    expect(lineTestOutcome({ verdict: 'poor', error: { code: 31008, message: 'Call cancelled' } }).advice).toBe('The test was stopped before it finished. Run it again when you are ready.');
  });
});
