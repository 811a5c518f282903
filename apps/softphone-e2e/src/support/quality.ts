import { readFileSync } from 'node:fs';
import type { APIRequestContext, BrowserContext, Locator, Page } from '@playwright/test';
import {
  API_ROUTES,
  type CallRecord,
  type InsightsQuery,
  type InsightsReport,
  type LineTestsResponse,
  type Page as ApiPage,
  type QualityRecord,
  type QualityRecordsResponse,
} from '@switchboard/shared-contracts';
import { eventually } from './softphone';

/**
 * Issue 14 as the e2e specs read it: quality records, Insights and line tests through the API (with a
 * browser profile's own session, so the API's reading rules apply), and the CSV export parsed back.
 */

/** A session to read the API with: a page (page.request) or a whole profile (context.request, alive after its pages close). */
export type Reader = Page | { readonly request: APIRequestContext };

export async function getJson<T>(reader: Reader, apiUrl: string, path: string): Promise<T> {
  const response = await reader.request.get(`${apiUrl}${path}`);
  if (!response.ok()) throw new Error(`GET ${path} answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function getStatus(reader: Reader, apiUrl: string, path: string): Promise<number> {
  return (await reader.request.get(`${apiUrl}${path}`)).status();
}

/** The reader's newest 100 history calls. */
export async function historyCalls(reader: Reader, apiUrl: string): Promise<readonly CallRecord[]> {
  return (await getJson<ApiPage<CallRecord>>(reader, apiUrl, `${API_ROUTES.calls.list}?page=1&pageSize=100`)).items;
}

/** The reader's history call of `callSid` once `accept` holds (bounded poll: callbacks and records arrive on their own time). */
export async function waitForHistoryCall(
  reader: Reader,
  apiUrl: string,
  callSid: string,
  accept: (call: CallRecord) => boolean,
  what: string,
  timeout = 30_000,
): Promise<CallRecord> {
  const found = await eventually(
    async () => (await historyCalls(reader, apiUrl)).find((call) => call.callSid === callSid),
    (call) => call !== undefined && accept(call),
    timeout,
    what,
  );
  return found as CallRecord;
}

export async function qualityRecords(reader: Reader, apiUrl: string, callId: string): Promise<readonly QualityRecord[]> {
  return (await getJson<QualityRecordsResponse>(reader, apiUrl, API_ROUTES.quality.forCall(callId))).records;
}

/** The stored record of leg `legSid` of history call `callId`, once it is there and `accept` holds. */
export async function waitForQualityRecord(
  reader: Reader,
  apiUrl: string,
  callId: string,
  legSid: string,
  accept: (record: QualityRecord) => boolean = () => true,
  timeout = 30_000,
): Promise<QualityRecord> {
  const found = await eventually(
    async () => (await qualityRecords(reader, apiUrl, callId)).find((record) => record.callSid === legSid),
    (record) => record !== undefined && accept(record),
    timeout,
    `the quality record of leg ${legSid} (call ${callId})`,
  );
  return found as QualityRecord;
}

/** InsightsQuery as the query string the report and CSV routes take. */
export function insightsQueryString(query: InsightsQuery = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function insightsReport(reader: Reader, apiUrl: string, query: InsightsQuery = {}): Promise<InsightsReport> {
  return getJson<InsightsReport>(reader, apiUrl, `${API_ROUTES.insights.report}${insightsQueryString(query)}`);
}

/** The Insights CSV through the API: header and rows as objects keyed by the header's names. */
export async function insightsCsv(reader: Reader, apiUrl: string, query: InsightsQuery = {}): Promise<CsvTable> {
  const response = await reader.request.get(`${apiUrl}${API_ROUTES.insights.csv}${insightsQueryString(query)}`);
  if (!response.ok()) throw new Error(`GET insights CSV answered ${response.status()}: ${await response.text()}`);
  return parseCsvTable(await response.text());
}

/** Clicks the page's export control and parses the file the browser downloaded. */
export async function downloadInsightsCsv(page: Page, exportButton: Locator): Promise<{ fileName: string; table: CsvTable }> {
  const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
  const path = await download.path();
  return { fileName: download.suggestedFilename(), table: parseCsvTable(readFileSync(path, 'utf8')) };
}

export function lineTests(reader: Reader, apiUrl: string, identity?: string): Promise<LineTestsResponse> {
  return getJson<LineTestsResponse>(reader, apiUrl, `${API_ROUTES.quality.lineTests}${identity ? `?identity=${encodeURIComponent(identity)}` : ''}`);
}

export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<Readonly<Record<string, string>>>;
}

/** RFC 4180 (quoted fields, doubled quotes, CRLF or LF, a trailing newline, a UTF-8 BOM) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  const endRow = () => {
    endCell();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (quoted) {
      if (char !== '"') cell += char;
      else if (source[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === ',') endCell();
    else if (char === '\n') endRow();
    else if (char === '\r') {
      if (source[i + 1] === '\n') i++;
      endRow();
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) endRow();
  return rows;
}

export function parseCsvTable(text: string): CsvTable {
  const [header = [], ...rest] = parseCsv(text);
  return { header, rows: rest.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']))) };
}

/**
 * Records every SDK warning name the in-call quality indicator showed (its `quality-warning` items'
 * data-warning), from the first page script on, so a warning shown for a second between two polls counts.
 * Install before the page loads; read with warningsSeen().
 */
export async function recordWarningsSeen(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen = new Set<string>();
    (window as unknown as { __sbWarningsSeen: Set<string> }).__sbWarningsSeen = seen;
    const note = () => document.querySelectorAll('[data-testid=quality-warning][data-warning]').forEach((item) => seen.add(item.getAttribute('data-warning') as string));
    const start = () => new MutationObserver(note).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-warning'] });
    if (document.documentElement) start();
    else document.addEventListener('DOMContentLoaded', start);
  });
}

export async function warningsSeen(page: Page): Promise<string[]> {
  return page.evaluate(() => [...((window as unknown as { __sbWarningsSeen?: Set<string> }).__sbWarningsSeen ?? [])].sort());
}

/** A table's header texts and its body rows' cell texts (whitespace collapsed), as a screen reader would read them. */
export async function tableCells(table: Locator): Promise<{ header: string[]; rows: string[][] }> {
  return table.evaluate((element) => {
    const clean = (cell: Element) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim();
    const all = [...element.querySelectorAll('tr')];
    const headerRow = all.find((row) => row.querySelector('th') && !row.querySelector('td'));
    return {
      header: headerRow ? [...headerRow.querySelectorAll('th,td')].map(clean) : [],
      rows: all.filter((row) => row !== headerRow && row.querySelector('td')).map((row) => [...row.querySelectorAll('th,td')].map(clean)),
    };
  });
}

/** The numbers in column `pattern` of a table (cells that do not parse, e.g. "—", are skipped). */
export async function numericColumn(table: Locator, pattern: RegExp): Promise<number[]> {
  const { header, rows } = await tableCells(table);
  const index = header.findIndex((name) => pattern.test(name));
  if (index < 0) throw new Error(`no column matching ${pattern} in ${JSON.stringify(header)}`);
  return rows.map((cells) => Number.parseFloat((cells[index] ?? '').replace(/[^\d.-]/g, ''))).filter((value) => Number.isFinite(value));
}
