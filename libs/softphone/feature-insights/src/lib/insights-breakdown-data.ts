import type { InsightsBreakdownRow, InsightsReport } from '@switchboard/shared-contracts';
import type { ChartPalette } from '@switchboard/softphone-ui';
import type { ChartConfiguration } from 'chart.js';

/** Pixels per bar: the canvas grows with the rows so a 20-row breakdown stays legible. */
const ROW_HEIGHT_PX = 28;
const AXES_HEIGHT_PX = 72;

/** The canvas height for a number of horizontal bars. */
export function breakdownChartHeight(rows: number): number {
  return AXES_HEIGHT_PX + Math.max(rows, 1) * ROW_HEIGHT_PX;
}

/** Horizontal bars (long keys such as "Chrome 131 on Windows" stay readable), shared by both breakdown charts. */
function horizontalOptions(palette: ChartPalette, stacked: boolean, legend: boolean): ChartConfiguration<'bar', number[], string>['options'] {
  return {
    indexAxis: 'y',
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: { legend: { display: legend, labels: { color: palette.text } } },
    scales: {
      x: { stacked, beginAtZero: true, ticks: { color: palette.text, precision: 0 }, grid: { color: palette.grid }, title: { display: true, text: 'Calls', color: palette.text } },
      y: { stacked, ticks: { color: palette.text }, grid: { color: palette.grid } },
    },
  };
}

/** One bar per key, stacked good/fair/poor in the band colours (good first, as in the over-time chart). */
export function breakdownChartConfig(rows: readonly InsightsBreakdownRow[], palette: ChartPalette): ChartConfiguration<'bar', number[], string> {
  const bar = (label: string, data: number[], color: string) => ({ label, data, backgroundColor: color, borderColor: palette.text, borderWidth: 1, stack: 'calls' });
  return {
    type: 'bar',
    data: {
      labels: rows.map((row) => row.key),
      datasets: [
        bar('Good', rows.map((r) => r.good), palette.good),
        bar('Fair', rows.map((r) => r.fair), palette.fair),
        bar('Poor', rows.map((r) => r.poor), palette.poor),
      ],
    },
    options: horizontalOptions(palette, true, true),
  };
}

/** Warnings have no band: one bar per warning, its calls. Two SDK names share a title, so the name follows it. */
export function warningsChartConfig(warnings: InsightsReport['topWarnings'], titleOf: (name: string) => string, palette: ChartPalette): ChartConfiguration<'bar', number[], string> {
  return {
    type: 'bar',
    data: {
      labels: warnings.map((w) => `${titleOf(w.name)} (${w.name})`),
      datasets: [{ label: 'Calls', data: warnings.map((w) => w.calls), backgroundColor: palette.error, borderColor: palette.text, borderWidth: 1 }],
    },
    options: horizontalOptions(palette, false, false),
  };
}

/** The canvas's accessible name: what it shows and its largest bar; the full figures are in the table. */
export function breakdownChartSummary(title: string, rows: readonly InsightsBreakdownRow[]): string {
  if (rows.length === 0) return `${title}: no calls.`;
  const top = rows[0];
  const values = rows.length === 1 ? '1 value' : `${rows.length} values`;
  return `Stacked bar chart of calls by ${title.toLowerCase()} and quality, ${values}. Most calls: ${top.key}, ${top.calls} (${top.good} good, ${top.fair} fair, ${top.poor} poor). The figures are in the table below.`;
}

export function warningsChartSummary(warnings: InsightsReport['topWarnings'], titleOf: (name: string) => string): string {
  if (warnings.length === 0) return 'No warnings in this range.';
  const top = warnings[0];
  return `Bar chart of calls per warning, ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}. Most frequent: ${titleOf(top.name)}, ${top.calls} ${top.calls === 1 ? 'call' : 'calls'}. The figures are in the table below.`;
}
