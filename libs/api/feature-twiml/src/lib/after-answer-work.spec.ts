import { AfterAnswerWork } from './after-answer-work';

const nextTurn = () => new Promise<void>((done) => setImmediate(done));

function logged() {
  const lines: string[] = [];
  return { lines, log: { error: (m: string) => lines.push(`error ${m}`), warn: (m: string) => lines.push(`warn ${m}`) } };
}

describe('AfterAnswerWork', () => {
  it('runs the work after the current turn, not during it', async () => {
    const { log } = logged();
    const work = new AfterAnswerWork(log);
    const ran: string[] = [];
    work.start('Ringing for CA1', async () => void ran.push('ring'));
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran).toEqual(['ring']);
  });

  it('logs a failure with what failed, and does not throw', async () => {
    const { lines, log } = logged();
    const work = new AfterAnswerWork(log);
    work.start('Dialling for CA2', () => Promise.reject(new Error('REST down')));
    await nextTurn();
    await work.drain(1_000);
    expect(lines).toEqual(['error Dialling for CA2 failed: REST down']);
  });

  it('shutdown waits for work under way', async () => {
    const { log } = logged();
    const work = new AfterAnswerWork(log);
    let finish: () => void = () => undefined;
    let finished = false;
    work.start('Queueing CA3', () => new Promise<void>((done) => (finish = () => { finished = true; done(); })));
    await nextTurn();
    let drained = false;
    const draining = work.drain(10_000).then(() => (drained = true));
    await nextTurn();
    expect(drained).toBe(false);
    finish();
    await draining;
    expect(finished).toBe(true);
  });

  it('shutdown starts nothing more, and says so', async () => {
    const { lines, log } = logged();
    const work = new AfterAnswerWork(log);
    const ran: string[] = [];
    work.start('Ringing for CA4', async () => void ran.push('ring'));
    await work.drain(1_000);
    await nextTurn();
    expect(ran).toEqual([]);
    expect(lines).toEqual(['warn Shutting down: Ringing for CA4 was not started']);
  });

  it('shutdown waits no longer than its deadline for work that hangs', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const { log } = logged();
      const work = new AfterAnswerWork(log);
      work.start('Dialling for CA5', () => new Promise<void>(() => undefined));
      await nextTurn();
      let drained = false;
      const draining = work.drain(5_000).then(() => (drained = true));
      await jest.advanceTimersByTimeAsync(4_999);
      expect(drained).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await draining;
      expect(drained).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
