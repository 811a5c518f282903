import type { BrowserContext, Page } from '@playwright/test';
import type { CallRecord, Page as ApiPage, VoicemailList } from '@switchboard/shared-contracts';
import { eventually } from './softphone';

/**
 * What the API stored, read with the agent's own session (page.request shares the context's cookies),
 * and what the status chip went through while a test ran.
 */
export async function apiJson<T>(page: Page, apiUrl: string, path: string): Promise<T> {
  const response = await page.request.get(`${apiUrl}${path}`);
  if (!response.ok()) throw new Error(`GET ${path} answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

export function voicemails(page: Page, apiUrl: string): Promise<VoicemailList> {
  return apiJson<VoicemailList>(page, apiUrl, '/api/voicemails');
}

/** The agent's call record for `callSid` (newest 100 calls), or undefined. */
export async function callRecord(page: Page, apiUrl: string, callSid: string): Promise<CallRecord | undefined> {
  const history = await apiJson<ApiPage<CallRecord>>(page, apiUrl, '/api/calls?page=1&pageSize=100');
  return history.items.find((call) => call.callSid === callSid);
}

/** Waits until the agent's record of `callSid` has one of `statuses` and returns it. */
export async function waitForCallStatus(page: Page, apiUrl: string, callSid: string, statuses: readonly string[], timeout = 60_000): Promise<CallRecord> {
  const record = await eventually(() => callRecord(page, apiUrl, callSid), (call) => !!call && statuses.includes(call.status), timeout, `call ${callSid} stored as ${statuses.join('|')}`);
  return record as CallRecord;
}

/**
 * Records every data-state the status chip shows, in order, from the first page script on
 * (MutationObserver, so a short-lived state between two polls is not missed). Read with chipHistory().
 */
export async function recordChipStates(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __sbChipStates: string[] }).__sbChipStates = seen;
    const note = () => {
      const chip = document.querySelector('[data-testid=status-chip]');
      const state = chip ? (chip.getAttribute('data-state') ?? 'none') : 'absent';
      if (seen[seen.length - 1] !== state) seen.push(state);
    };
    new MutationObserver(note).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  });
}

export async function chipHistory(page: Page): Promise<string[]> {
  return page.evaluate(() => [...((window as unknown as { __sbChipStates?: string[] }).__sbChipStates ?? [])]);
}

/** The chip states from the first 'registered' on (everything after the agent first came online). */
export function sinceFirstRegistered(states: readonly string[]): string[] {
  const first = states.indexOf('registered');
  return first < 0 ? [] : states.slice(first);
}
