import { expect, test, WatchedContexts } from '../support/fixtures';

/** TEST-NET-1 (RFC 5737): an address no request may reach; the route below aborts it before it leaves. */
const OFF_LOOPBACK_URL = 'http://192.0.2.1/beacon';

test.describe('the watch that fails every test', () => {
  // Guards the check itself, like the accessibility self-check: a watch that saw nothing would pass every spec.
  test('catches a request that leaves loopback and an uncaught error in a second tab', async ({ browser }) => {
    // A watch of its own, not the test's: what it catches here must not fail this test.
    const watch = new WatchedContexts();
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    watch.add(context, { own: true });
    try {
      await context.route(OFF_LOOPBACK_URL, (route) => route.abort());
      // A blank page: the app's Content-Security-Policy would stop the fetch before it became a request.
      const page = await context.newPage();
      const requestFailed = page.waitForEvent('requestfailed', (request) => request.url() === OFF_LOOPBACK_URL);
      await page.evaluate((url) => void fetch(url).catch(() => undefined), OFF_LOOPBACK_URL);
      await requestFailed;

      const secondTab = await context.newPage();
      const uncaught = context.waitForEvent('weberror');
      await secondTab.evaluate(() => setTimeout(() => { throw new Error('thrown in a second tab'); }));
      await uncaught;

      expect(watch.nonLoopbackRequests).toEqual([OFF_LOOPBACK_URL]);
      expect(watch.uncaughtErrors).toEqual([expect.stringContaining('thrown in a second tab')]);
    } finally {
      await watch.closeOwned();
    }
  });
});
