import { RecurringPass } from './recurring-pass';

class CountingPass extends RecurringPass {
  runs = 0;
  release: (() => void) | null = null;
  fail = false;
  constructor(intervalMs: number) {
    super('CountingPass', intervalMs);
  }
  protected pass(): Promise<void> {
    this.runs++;
    if (this.fail) return Promise.reject(new Error('boom'));
    return new Promise((resolve) => (this.release = resolve));
  }
}

describe('RecurringPass', () => {
  it('shares the pass in progress instead of starting a second one', async () => {
    const pass = new CountingPass(0);
    const first = pass.tick();
    const second = pass.tick();
    expect(pass.runs).toBe(1);
    pass.release?.();
    await Promise.all([first, second]);
    const third = pass.tick();
    expect(pass.runs).toBe(2);
    pass.release?.();
    await third;
  });

  it('logs a failed pass and lets the next one run', async () => {
    const pass = new CountingPass(0);
    pass.fail = true;
    await expect(pass.tick()).resolves.toBeUndefined();
    pass.fail = false;
    const next = pass.tick();
    expect(pass.runs).toBe(2);
    pass.release?.();
    await next;
  });

  it('starts no timer for an interval of 0, and an unref\'d one otherwise', async () => {
    const spy = jest.spyOn(global, 'setInterval');
    new CountingPass(0).onModuleInit();
    expect(spy).not.toHaveBeenCalled();
    const timed = new CountingPass(60_000);
    timed.onModuleInit();
    expect(spy).toHaveBeenCalledTimes(1);
    const timer = spy.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    await timed.onModuleDestroy();
    spy.mockRestore();
  });
});
