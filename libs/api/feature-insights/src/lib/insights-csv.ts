import type { InsightsCsvRow } from '@switchboard/api-data-access-db';

/**
 * The CSV export's format. No CSV library is installed (node_modules has none) and package.json is not
 * ours to change; what is needed is small: RFC 4180 quoting plus the spreadsheet formula guard, tested in
 * insights-csv.spec.ts.
 */
export const INSIGHTS_CSV_HEADER = [
  'ended_at', 'agent', 'direction', 'band', 'avg_mos', 'min_mos', 'max_jitter_ms', 'max_packet_loss_percent', 'warnings',
  'browser', 'os', 'sdk_version', 'edge', 'network_type', 'microphone', 'rating',
] as const;

/**
 * One cell. A text cell starting with = + - @ (or a tab or carriage return, which some spreadsheets skip
 * before a formula) gets a leading apostrophe, so a device label such as `=HYPERLINK(…)` opens as text
 * (OWASP's CSV injection advice). Numbers are written as numbers and never guarded: -1 stays a number.
 * A cell holding a comma, a double quote, CR or LF is quoted, its quotes doubled (RFC 4180).
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** One CRLF-terminated line (RFC 4180's line break). */
export function csvLine(cells: ReadonlyArray<string | number | null>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Figures to at most two decimals (they are stored as float4: 3.9000000953674316 would be noise). */
const figure = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

export function insightsCsvLine(row: InsightsCsvRow): string {
  return csvLine([
    row.endedAt.toISOString(), row.agent, row.direction, row.band, figure(row.mosAvg), figure(row.mosMin), figure(row.jitterMax),
    figure(row.lossMax), row.warnings.join(';'), row.browser, row.os, row.sdkVersion, row.edge, row.networkType, row.microphone, row.rating,
  ]);
}

/** The whole export as chunks: the header, then one chunk per batch of records (streamed, never one string). */
export async function* insightsCsvChunks(batches: AsyncIterable<readonly InsightsCsvRow[]>): AsyncGenerator<string> {
  yield csvLine(INSIGHTS_CSV_HEADER);
  for await (const batch of batches) yield batch.map(insightsCsvLine).join('');
}
