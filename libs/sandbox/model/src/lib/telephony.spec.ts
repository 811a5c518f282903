import { systemClock } from './telephony';

describe('systemClock.sleep', () => {
  it('resolves early when its signal aborts, so hung-up calls never wait out a timer', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('resolves at once for an already-aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(systemClock.sleep(60_000, controller.signal)).resolves.toBeUndefined();
  });
});
