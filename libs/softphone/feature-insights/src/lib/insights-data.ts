import type { ParamMap } from '@angular/router';
import { QUALITY_BANDS, type InsightsQuery, type InsightsReport, type QualityBand } from '@switchboard/shared-contracts';
import type { ChartPalette } from '@switchboard/softphone-ui';
import type { ChartConfiguration } from 'chart.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The filters from the URL's query string. Anything malformed is dropped rather than sent (a hand-edited
 * or old link still opens the page, with that filter unset).
 */
export function insightsQueryFrom(params: ParamMap): InsightsQuery {
  const date = (key: string) => {
    const value = params.get(key);
    return value && ISO_DATE.test(value) ? value : undefined;
  };
  const direction = params.get('direction');
  const band = params.get('band');
  const agent = params.get('agent')?.trim();
  return {
    ...(date('from') ? { from: date('from') } : {}),
    ...(date('to') ? { to: date('to') } : {}),
    ...(agent ? { agent } : {}),
    ...(direction === 'inbound' || direction === 'outbound' ? { direction } : {}),
    ...((QUALITY_BANDS as readonly string[]).includes(band ?? '') ? { band: band as QualityBand } : {}),
  };
}

/** The query string for the router: every filter, unset ones as null so they leave the URL. */
export function insightsQueryParams(query: InsightsQuery): Record<string, string | null> {
  return { from: query.from ?? null, to: query.to ?? null, agent: query.agent ?? null, direction: query.direction ?? null, band: query.band ?? null };
}

/** Stacked bars of calls per day by band; bands differ by pattern-free but labelled colours and by order (good at the bottom). */
export function overTimeChartConfig(report: InsightsReport, palette: ChartPalette): ChartConfiguration<'bar', number[], string> {
  const bar = (label: string, data: number[], color: string) => ({ label, data, backgroundColor: color, borderColor: palette.text, borderWidth: 1, stack: 'calls' });
  return {
    type: 'bar',
    data: {
      labels: report.overTime.map((day) => day.day),
      datasets: [
        bar('Good', report.overTime.map((d) => d.good), palette.good),
        bar('Fair', report.overTime.map((d) => d.fair), palette.fair),
        bar('Poor', report.overTime.map((d) => d.poor), palette.poor),
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { labels: { color: palette.text } } },
      scales: {
        x: { stacked: true, ticks: { color: palette.text }, grid: { color: palette.grid } },
        y: { stacked: true, beginAtZero: true, ticks: { color: palette.text, precision: 0 }, grid: { color: palette.grid }, title: { display: true, text: 'Calls', color: palette.text } },
      },
    },
  };
}

/** "12 calls, 8 good, 3 fair, 1 poor" for the chart's accessible name and the page's announcement. */
export function totalsSentence(report: InsightsReport): string {
  const t = report.totals;
  return `${t.calls} ${t.calls === 1 ? 'call' : 'calls'} from ${report.from} to ${report.to}: ${t.good} good, ${t.fair} fair, ${t.poor} poor.`;
}

/** Share of a band in a row, as a whole percent ("–" for no calls). */
export function percentOf(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)} %` : '–';
}
