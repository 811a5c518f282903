import type { Page } from '@playwright/test';
import { QUALITY_BAND_WORDS, type InsightsBreakdownRow, type InsightsReport, type QualityBand } from '@switchboard/shared-contracts';
import { QUALITY_WARNING_TEXT, type QualityWarningName } from '@switchboard/shared-voice-model';
import { SCREENSHOT_VIEWPORT as VIEWPORT, screenshotAndAudit, type AccessibilityViolation } from '../support/accessibility';
import { answerCall, customerCallsSupport, customerLegCompleted } from '../support/anchored-call';
import { clickClear, knownCallSids } from '../support/call-checks';
import { agentLegSid, waitForLegAudio } from '../support/conference';
import { expect, test, type Agent, type RunningStack } from '../support/fixtures';
import {
  downloadInsightsCsv,
  historyCalls,
  insightsCsv,
  insightsReport,
  numericColumn,
  recordWarningsSeen,
  tableCells,
  waitForHistoryCall,
  qualityRecords,
  waitForQualityRecord,
  warningsSeen,
} from '../support/quality';
import { eventually, signIn, waitForChip } from '../support/softphone';

/**
 * Issue 14, "Done when": a customer call with packet loss injected on the agent's own leg (the sandbox's fault
 * hook) leaves a record whose loss and warnings match, shown in the agent's history detail and counted in the
 * supervisor's Insights (page, breakdowns, CSV); the rating is stored; a page closed at hang-up still sends
 * its record. The detail panel and the Insights page are the README's pictures, axe-audited in both themes.
 */
const LOSS_PERCENT = 20;
const LOSS_SECONDS = 8;
/** The SDK names a loss warning one of these (statsMonitor: packetsLostFraction, and Twilio's own name). */
const LOSS_WARNINGS = ['high-packets-lost-fraction', 'high-packet-loss'];
const BOB_AS_SHOWN = 'Bob Agent (bob)';

/** Bob's profile, recording the warnings his in-call indicator shows, at the screenshots' size, signed in and online. */
async function bobOnline(stack: RunningStack, newAgent: () => Promise<Agent>): Promise<Agent> {
  const bob = await newAgent();
  await recordWarningsSeen(bob.context);
  await bob.page.setViewportSize(VIEWPORT);
  await bob.page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await signIn(bob.page, stack.apiUrl, 'bob');
  await waitForChip(bob.page, 'registered');
  return bob;
}

/** A customer calls the support line; bob answers and the customer hears him (media flows both ways on his leg). */
async function customerTalksToBob(stack: RunningStack, bob: Agent, caller: string): Promise<{ callSid: string; bobLeg: string }> {
  const callSid = await customerCallsSupport(stack, caller);
  await answerCall(bob.page, caller);
  const bobLeg = await agentLegSid(stack, callSid, 'bob');
  await waitForLegAudio(stack, callSid, { hears: [bobLeg], notHears: ['wait', 'hold'] }, 'the customer hears bob');
  // The live figures are there: the SDK's 1 s samples are flowing, so the record has a healthy start.
  await bob.page.locator('[data-testid=quality-indicator][data-level=good]').waitFor();
  await bob.page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid=quality-mos]')?.textContent ?? ''));
  // A settled line: no warning raised by the call's first seconds (a busy machine can make some) is still up.
  await expect(bob.page.getByTestId('quality-warning')).toHaveCount(0, { timeout: 30_000 });
  return { callSid, bobLeg };
}

/** Ends wrap-up with a disposition, so bob is Available again for the next test. */
async function finishWrapUp(page: Page): Promise<void> {
  await page.getByTestId('wrap-up-card').waitFor();
  await page.getByTestId('wrap-up-disposition').click();
  await page.getByTestId('wrap-up-disposition-resolved').click();
  await page.getByTestId('wrap-up-done').click();
  await expect(page.getByTestId('availability-status')).toHaveAttribute('data-state', 'available');
}

function agentRow(report: InsightsReport, key: string): InsightsBreakdownRow | undefined {
  return report.breakdowns.agent.find((row) => row.key === key);
}

test.describe('call quality you can look back on (issue 14)', () => {
  test('packet loss on bob’s leg: badge, detail with loss and warnings, rating stored, counted in sam’s Insights and CSV', async ({ stack, newAgent, signedInAgent }) => {
    test.slow(); // two browsers, a call with a fault, two pages shot and audited in two themes
    const violations: AccessibilityViolation[] = [];
    const bob = await bobOnline(stack, newAgent);
    const sam = await signedInAgent('sam');
    await sam.page.setViewportSize(VIEWPORT);
    await sam.page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });

    // What Insights counted before this call (the stack is shared with earlier specs).
    const reportBefore = await insightsReport(sam.page, stack.apiUrl);
    const bobCsvRowsBefore = (await insightsCsv(sam.page, stack.apiUrl, { agent: 'bob' })).rows.length;
    const before = await knownCallSids(bob.page, stack.apiUrl);

    const { callSid, bobLeg } = await customerTalksToBob(stack, bob, '+14155550161');

    // Loss on bob's own SDK leg (what the sandbox sends his browser), then a clean line again.
    const fault = await stack.sandbox<{ affected: number }>('POST', '/sandbox/faults/packet-loss', { callSid: bobLeg, percent: LOSS_PERCENT, seconds: LOSS_SECONDS });
    expect(fault).toEqual({ status: 200, body: { affected: 1 } });
    // The SDK raises a loss warning (shown live), and clears it once the loss has stopped.
    const lossWarning = bob.page.locator(LOSS_WARNINGS.map((name) => `[data-testid=quality-warning][data-warning="${name}"]`).join(','));
    await lossWarning.first().waitFor({ timeout: 20_000 });
    await expect(bob.page.locator('[data-testid=quality-indicator]')).toHaveAttribute('data-level', /^(fair|poor)$/);
    await expect(lossWarning).toHaveCount(0, { timeout: 40_000 });
    const shownLive = await warningsSeen(bob.page);
    expect(shownLive.some((name) => LOSS_WARNINGS.includes(name)), `warnings shown live: ${shownLive.join(', ')}`).toBe(true);

    // Bob hangs up: the call had warnings, so he is asked how it was; he rates it 2, choppy audio.
    await clickClear(bob.page, 'hang-up-button');
    await customerLegCompleted(stack, callSid);
    const prompt = bob.page.getByTestId('rating-prompt');
    await prompt.waitFor();
    await prompt.getByTestId('rating-score-2').click();
    await prompt.getByTestId('rating-issue-choppy-audio').click();
    await prompt.getByTestId('rating-submit').click();
    await prompt.waitFor({ state: 'detached' });
    await finishWrapUp(bob.page);

    // The API: the history call has a badge that is not Good, and bob's leg's record says what was injected.
    const call = await waitForHistoryCall(bob.page, stack.apiUrl, callSid, (c) => c.status === 'completed' && c.quality !== null, "the call's quality badge");
    expect(before.has(callSid)).toBe(false);
    expect(call.quality?.band).not.toBe('good');
    expect(call.quality?.warningCount).toBeGreaterThan(0);
    const record = await waitForQualityRecord(bob.page, stack.apiUrl, call.id, bobLeg, (r) => r.rating !== null);
    expect(record).toMatchObject({ identity: 'bob', callId: call.id, rating: { score: 2, issues: ['choppy-audio'] } });
    const band: QualityBand = record.summary.band;
    expect(band).toBe(call.quality?.band);
    const lossy = record.samples.packetLossPercent.filter((loss) => loss > 0);
    expect(lossy.length, 'samples with loss').toBeGreaterThan(0);
    // 20 % dropped at random: the lossy seconds average near it (a wide band, as each second is ~50 packets).
    const lossyAverage = lossy.reduce((sum, loss) => sum + loss, 0) / lossy.length;
    expect(lossyAverage).toBeGreaterThan(5);
    expect(lossyAverage).toBeLessThan(50);
    expect(record.summary.packetLossPercent.max).toBeGreaterThan(5);
    expect(record.summary.secondsPast.packetLoss).toBeGreaterThan(0);
    const recordedNames = record.warnings.map((warning) => warning.name as string);
    // Every warning the indicator showed is in the record, and each ended (the line recovered before hang-up).
    expect([...new Set(recordedNames)].sort()).toEqual(expect.arrayContaining(shownLive));
    expect(recordedNames.some((name) => LOSS_WARNINGS.includes(name))).toBe(true);
    for (const warning of record.warnings.filter((w) => LOSS_WARNINGS.includes(w.name))) expect(warning.endedAt).not.toBeNull();
    expect(record.summary.warningNames).toEqual(expect.arrayContaining(shownLive));
    expect(record.samples.mos.length).toBe(record.summary.sampleCount);
    expect(record.media.sdkVersion).toMatch(/^\d+\.\d+/);
    expect(record.platform.browser).toMatch(/chrom/i);
    // Device labels, never ids (Chromium's fake devices have labels; an id is a long hex string).
    expect(record.media.inputDeviceLabel ?? '').not.toMatch(/^[0-9a-f]{64}$/);

    // Bob's history: the badge on the row (words, not Good), and the detail panel.
    await bob.page.getByTestId('nav-history').click();
    const row = bob.page.locator(`[data-testid=history-row][data-call-sid="${callSid}"]`);
    const badge = row.getByTestId('quality-badge');
    await expect(badge).toHaveAttribute('data-band', band);
    await expect(badge).toContainText(QUALITY_BAND_WORDS[band]);
    await expect(badge).not.toContainText(QUALITY_BAND_WORDS.good);
    await row.getByTestId('quality-detail-open').click();
    const detail = bob.page.getByTestId('quality-detail');
    await detail.waitFor();
    await expect(detail.getByTestId('quality-chart').locator('canvas').first()).toBeVisible(); // the chart (loaded on demand)
    const samplesTable = detail.getByTestId('quality-samples-table').first();
    await samplesTable.locator('td').first().waitFor({ state: 'attached' });
    const lossShown = await numericColumn(samplesTable, /loss/i);
    expect(Math.max(...lossShown), 'the loss column of the samples table').toBeGreaterThan(0);
    // The warnings the SDK raised, in the live indicator's words, listed under the chart (and shaded on it).
    const chartWarnings = (await detail.getByTestId('quality-chart-warning').allInnerTexts()).join('\n');
    for (const name of shownLive) expect(chartWarnings, `warning ${name} under the chart`).toContain(QUALITY_WARNING_TEXT[name as QualityWarningName]?.title ?? name);
    await expect(detail.getByTestId('quality-setup-timeline').first()).toBeVisible();
    const facts = detail.getByTestId('quality-facts').first();
    await expect(facts).toContainText(/opus|pcmu/i);
    await expect(facts).toContainText(/2 of 5: Choppy audio/); // the stored rating
    violations.push(...(await screenshotAndAudit(bob.page, 'call-quality-detail')));

    // Sam's Insights: the API counts one more call, for bob, in its band; the page and the CSV say the same.
    const reportAfter = await eventually(
      () => insightsReport(sam.page, stack.apiUrl),
      (report) => report.totals.calls === reportBefore.totals.calls + 1,
      20_000,
      'Insights counting the new call',
    );
    expect(reportAfter.totals[band]).toBe(reportBefore.totals[band] + 1);
    const bobBefore = agentRow(reportBefore, BOB_AS_SHOWN);
    const bobAfter = agentRow(reportAfter, BOB_AS_SHOWN);
    expect(bobAfter?.calls).toBe((bobBefore?.calls ?? 0) + 1);
    expect(bobAfter?.[band]).toBe((bobBefore?.[band] ?? 0) + 1);
    const lossWarningCalls = (report: InsightsReport) => report.topWarnings.filter((w) => LOSS_WARNINGS.includes(w.name)).reduce((n, w) => Math.max(n, w.calls), 0);
    expect(lossWarningCalls(reportAfter)).toBeGreaterThan(0);

    await expect(bob.page.getByTestId('nav-insights')).toHaveCount(0); // agents have no Insights tab
    await sam.page.getByTestId('nav-insights').click();
    const insights = sam.page.getByTestId('insights-page');
    await insights.waitFor();
    await expect(insights.getByTestId('insights-total-calls')).toContainText(String(reportAfter.totals.calls));
    const agentTable = insights.getByTestId('insights-breakdown-agent');
    await expect(agentTable).toContainText(BOB_AS_SHOWN);
    // The agent's row: key (a row header), Calls, then Good/Fair/Poor as "count (share)".
    const { header, rows } = await tableCells(agentTable);
    const bobCells = rows.find((cells) => cells[0] === BOB_AS_SHOWN) ?? [];
    const count = (name: RegExp) => Number.parseInt(bobCells[header.findIndex((title) => name.test(title))] ?? '', 10);
    expect(count(/^Calls$/), `bob's calls in ${JSON.stringify({ header, bobCells })}`).toBe(bobAfter?.calls);
    expect(count(new RegExp(`^${QUALITY_BAND_WORDS[band]}$`)), `bob's ${band} calls`).toBe(bobAfter?.[band]);
    await expect(insights.getByTestId('insights-top-warnings')).toBeVisible();
    await expect(insights.getByTestId('insights-over-time').locator('canvas')).toBeVisible(); // the chart (loaded on demand)

    // The export: the page's filters (the default range), one row per call; bob's rows gained this one.
    const { fileName, table } = await downloadInsightsCsv(sam.page, insights.getByTestId('insights-export'));
    expect(fileName).toMatch(/^switchboard-insights-.*\.csv$/);
    expect(table.rows).toHaveLength(reportAfter.totals.calls);
    expect(table.header).toEqual(expect.arrayContaining(['agent', 'band', 'max_packet_loss_percent', 'warnings']));
    const bobRows = table.rows.filter((csvRow) => /\bbob\b/.test(csvRow['agent']));
    expect(bobRows).toHaveLength(bobCsvRowsBefore + 1);
    const lossyRows = bobRows.filter((csvRow) => csvRow['band'] === band && Number(csvRow['max_packet_loss_percent']) > 5);
    expect(lossyRows.some((csvRow) => csvRow['warnings'].split(';').some((name) => LOSS_WARNINGS.includes(name))), JSON.stringify(bobRows)).toBe(true);
    violations.push(...(await screenshotAndAudit(sam.page, 'insights')));
    // Each breakdown's chart (loaded on demand; an image named by its summary) above its table, the accessible view.
    const agentChart = insights.getByTestId('insights-chart-agent').locator('canvas');
    await expect(agentChart).toBeVisible();
    await expect(agentChart).toHaveAttribute('role', 'img');
    await expect(agentChart).toHaveAttribute('aria-label', /Stacked bar chart of calls by agent and quality/);
    await expect(insights.getByTestId('insights-chart-warnings').locator('canvas')).toBeVisible();
    await expect(agentTable).toBeVisible();
    await insights.getByTestId('insights-chart-browser').scrollIntoViewIfNeeded();
    violations.push(...(await screenshotAndAudit(sam.page, 'insights-breakdowns')));

    // Both pages, both themes: no WCAG 2.1 AA rule broken (the list says where and why).
    expect(violations).toEqual([]);
  });

  test('a page closed right at hang-up still leaves its record, which the supervisor can read', async ({ stack, newAgent, signedInAgent }, testInfo) => {
    test.slow();
    const bob = await bobOnline(stack, newAgent);
    const sam = await signedInAgent('sam');
    const { callSid, bobLeg } = await customerTalksToBob(stack, bob, '+14155550162');

    // Hang up and close the tab at once: whatever the softphone does on the way out (beacon, keepalive) is all it gets.
    await bob.page.getByTestId('hang-up-button').click();
    await bob.page.close();
    await customerLegCompleted(stack, callSid);

    // Bob's profile (its session outlives the page) finds the history call; sam reads its record.
    const call = await waitForHistoryCall(bob.context, stack.apiUrl, callSid, (c) => c.status === 'completed', 'the history call completed');
    let record = await waitForQualityRecord(sam.page, stack.apiUrl, call.id, bobLeg, () => true, 20_000).catch(() => undefined);
    if (!record) {
      // "Kept and sent later" is the issue's other allowed way: the next load sends what the outbox kept.
      testInfo.annotations.push({ type: 'delivery', description: 'not sent at close; sent from the outbox at the next load' });
      console.log('quality record: not sent as the page closed; sent from the outbox at the next load');
      const again = await bob.context.newPage();
      await again.goto(stack.apiUrl);
      await again.getByTestId('status-chip').first().waitFor();
      record = await waitForQualityRecord(sam.page, stack.apiUrl, call.id, bobLeg);
    } else {
      testInfo.annotations.push({ type: 'delivery', description: 'sent as the page closed' });
      console.log('quality record: sent as the page closed');
    }
    expect(record).toMatchObject({ identity: 'bob', callSid: bobLeg, callId: call.id });
    expect(record.summary.sampleCount).toBeGreaterThan(0);
    expect(record.samples.mos.some((mos) => mos !== null)).toBe(true);
    // Stored once for the leg: the history holds the one call, and the call one record of bob's.
    expect((await historyCalls(bob.context, stack.apiUrl)).filter((c) => c.callSid === callSid)).toHaveLength(1);
    expect((await qualityRecords(sam.page, stack.apiUrl, call.id)).filter((r) => r.identity === 'bob')).toHaveLength(1);
  });
});
