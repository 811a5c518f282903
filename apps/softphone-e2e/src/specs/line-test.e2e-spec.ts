import { API_ROUTES, LINE_TEST_VERDICT_TEXT, PREFLIGHT_CALL_QUALITIES } from '@switchboard/shared-contracts';
import { SCREENSHOT_VIEWPORT as VIEWPORT, screenshotAndAudit } from '../support/accessibility';
import { knownCallSids } from '../support/call-checks';
import { expect, test } from '../support/fixtures';
import { getStatus, lineTests } from '../support/quality';
import { signIn, waitForChip } from '../support/softphone';

/**
 * Issue 14, item 5: "Test my line", the SDK's preflight (Device.runPreflight) with the phone's own options, run
 * against the sandbox from Settings; offered before going online while no recent test exists; kept in the
 * agent's history (History → Line tests) and shown to a supervisor (Insights); never a call in history.
 */
test.describe('the line test (issue 14, item 5)', () => {
  test('offered while due; run from Settings with progress, a verdict in words and figures; kept as the last test; sam can read it', async ({ stack, newAgent, signedInAgent }) => {
    test.slow(); // a preflight call of about 15 s (a <Say>, a 10 s pause) and a two-theme audit
    const alice = await newAgent();
    await alice.page.setViewportSize(VIEWPORT);
    await alice.page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await signIn(alice.page, stack.apiUrl, 'alice');
    await waitForChip(alice.page, 'registered');
    const historyBefore = await knownCallSids(alice.page, stack.apiUrl);
    const testsBefore = (await lineTests(alice.page, stack.apiUrl)).lineTests;

    // With no test yet, the panel offers one before calls come in; skipping hides it (until the next sign-in).
    if (testsBefore.length === 0) {
      const offer = alice.page.getByTestId('line-test-offer');
      await expect(offer).toBeVisible();
      await offer.getByTestId('line-test-offer-skip').click();
      await expect(offer).toHaveCount(0);
    }

    // Settings → Test my line: progress while the preflight call runs, then the verdict with what to do.
    await alice.page.getByTestId('nav-settings').click();
    await alice.page.waitForURL(/\/settings$/);
    await alice.page.getByTestId('line-test-run').click();
    const progress = alice.page.getByTestId('line-test-progress');
    await expect(progress).toBeVisible();
    await expect(progress.getByRole('progressbar')).toBeVisible();
    // It ends: the progress goes. A failed test keeps it, saying why, and the poll's last value then says so too.
    const phaseOrGone = async () => ((await progress.count()) === 0 ? 'gone' : await progress.evaluate((el) => `${el.getAttribute('data-phase')}: ${el.textContent}`).catch(() => 'gone'));
    await expect.poll(phaseOrGone, { timeout: 60_000, message: 'the line test finished' }).toBe('gone');
    const result = alice.page.getByTestId('line-test-result');
    // A verdict (its word is checked against the stored test below; the icon's ligature text sits right before it).
    await expect(result).toHaveAttribute('data-verdict', /^(excellent|good|poor)$/);
    await expect(result).toContainText(/Excellent|Good|Poor/);

    // The API kept it as alice's newest test, from a completed preflight (a CallSid, the SDK's verdict, figures).
    const tests = (await lineTests(alice.page, stack.apiUrl)).lineTests;
    expect(tests).toHaveLength(testsBefore.length + 1);
    const newest = tests[0];
    expect(newest).toMatchObject({ identity: 'alice', error: null });
    expect(newest.callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(PREFLIGHT_CALL_QUALITIES).toContain(newest.callQuality);
    expect(newest.mos.avg).not.toBeNull();
    expect(newest.timing.peerConnectionMs ?? newest.timing.iceMs).not.toBeNull();
    const verdict = LINE_TEST_VERDICT_TEXT[newest.verdict];
    await expect(result).toContainText(verdict.title);
    await expect(result).toContainText(verdict.advice);
    await expect(alice.page.getByTestId('line-test-run')).toBeEnabled();
    expect((await screenshotAndAudit(alice.page, 'line-test'))).toEqual([]);

    // The last test, after a reload: still shown, and no longer offered (it is fresh).
    await alice.page.reload();
    await waitForChip(alice.page, 'registered');
    await expect(alice.page.getByTestId('line-test-result')).toContainText(verdict.title);
    await alice.page.getByTestId('nav-phone').click();
    await expect(alice.page.getByTestId('line-test-offer')).toHaveCount(0);

    // The test call is not a call: alice's history did not gain one.
    expect([...(await knownCallSids(alice.page, stack.apiUrl))].filter((sid) => !historyBefore.has(sid))).toEqual([]);

    // Alice's History → Line tests: the new test first, its result in words with what to do, and its edge.
    await alice.page.getByTestId('nav-history').click();
    await alice.page.getByRole('tab', { name: 'Line tests' }).click();
    const ownRows = alice.page.getByTestId('history-line-test');
    await expect(ownRows).toHaveCount(tests.length);
    await expect(ownRows.first()).toHaveAttribute('data-verdict', newest.verdict);
    await expect(ownRows.first()).toContainText(verdict.title);
    await expect(ownRows.first()).toContainText(verdict.advice);
    if (newest.edge) await expect(ownRows.first()).toContainText(newest.edge);
    expect(await screenshotAndAudit(alice.page, 'history-line-tests')).toEqual([]);

    // A supervisor reads alice's tests; an agent may not read another's.
    const sam = await signedInAgent('sam');
    expect((await lineTests(sam.page, stack.apiUrl, 'alice')).lineTests[0]).toMatchObject({ id: newest.id, verdict: newest.verdict });
    expect(await getStatus(alice.page, stack.apiUrl, `${API_ROUTES.quality.lineTests}?identity=bob`)).toBe(403);

    // Sam's Insights: alice's newest test in the team view, and all of hers with the agent filter set.
    await sam.page.setViewportSize(VIEWPORT);
    await sam.page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await sam.page.getByTestId('nav-insights').click();
    const section = sam.page.getByTestId('insights-line-tests');
    await expect(section).toHaveAttribute('data-status', 'loaded');
    const aliceLatest = section.locator('[data-testid=insights-line-test][data-agent=alice]');
    await expect(aliceLatest).toHaveCount(1);
    await expect(aliceLatest).toHaveAttribute('data-verdict', newest.verdict);
    await expect(aliceLatest).toContainText(verdict.title);
    await sam.page.getByTestId('insights-agent').selectOption('alice');
    await expect(section).toContainText('Line tests of');
    await expect(section.getByTestId('insights-line-test')).toHaveCount(tests.length);
    await expect(section.getByTestId('insights-line-test').first()).toHaveAttribute('data-verdict', newest.verdict);
    await section.scrollIntoViewIfNeeded();
    expect(await screenshotAndAudit(sam.page, 'insights-line-tests')).toEqual([]);
  });
});
