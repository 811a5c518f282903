import { RestError } from './rest-errors';

/** Twilio's default and largest PageSize for 2010-04-01 list resources. */
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

/**
 * One page of a 2010-04-01 list resource in Twilio's envelope: the records under `key` plus `page`,
 * `page_size`, `start`, `end`, `uri`, `first_page_uri`, `next_page_uri`, `previous_page_uri`
 * (https://www.twilio.com/docs/usage/twilios-response#response-formats-list-paging-information).
 *
 * The twilio node client follows `next_page_uri` (prefixing its own base URL, base/Page.js
 * getNextPageUrl) until it is null, so the next page's URI carries the filters, `PageSize`, `Page`
 * and Twilio's `PageToken` (`PA` + the last SID of this page). A PageToken is honoured: the next page
 * starts after that SID, so records created between two page requests do not shift the pages.
 */
export function listPage<T>(
  query: URLSearchParams,
  path: string,
  key: string,
  records: readonly T[],
  sidOf: (record: T) => string,
  toJson: (record: T) => Record<string, unknown>,
): Record<string, unknown> {
  const pageSize = wholeNumber(query.get('PageSize'), 'PageSize', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
  const page = wholeNumber(query.get('Page'), 'Page', 0, 0, Number.MAX_SAFE_INTEGER);
  const token = query.get('PageToken');
  let start = page * pageSize;
  if (token) {
    const after = records.findIndex((record) => `PA${sidOf(record)}` === token);
    // An unknown token (its record has gone) falls back to the page number, as offsets would.
    if (after >= 0) start = after + 1;
  }
  const slice = records.slice(start, start + pageSize);
  const filters = new URLSearchParams();
  for (const [name, value] of query) if (name !== 'PageSize' && name !== 'Page' && name !== 'PageToken') filters.append(name, value);
  const uriFor = (pageNumber: number, pageToken?: string): string => {
    const params = new URLSearchParams(filters);
    params.set('PageSize', String(pageSize));
    params.set('Page', String(pageNumber));
    if (pageToken) params.set('PageToken', pageToken);
    return `${path}?${params.toString()}`;
  };
  const hasNext = start + slice.length < records.length && slice.length > 0;
  return {
    [key]: slice.map(toJson),
    page,
    page_size: pageSize,
    start,
    end: slice.length ? start + slice.length - 1 : start,
    uri: uriFor(page, token ?? undefined),
    first_page_uri: uriFor(0),
    next_page_uri: hasNext ? uriFor(page + 1, `PA${sidOf(slice[slice.length - 1])}`) : null,
    previous_page_uri: page > 0 ? uriFor(page - 1) : null,
  };
}

function wholeNumber(text: string | null, name: string, fallback: number, min: number, max: number): number {
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new RestError(400, 20001, `${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}
