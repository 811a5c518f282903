import type { Page } from '@playwright/test';
import type { CallRecord, Page as ApiPage } from '@switchboard/shared-contracts';
import { expect, type SandboxClient } from './fixtures';
import { apiJson } from './agent-records';
import { eventually } from './softphone';

/** What `GET /sandbox/calls` answers (the fields these specs read). */
export interface SandboxLeg {
  readonly callSid: string;
  readonly parentCallSid?: string;
  readonly from: string;
  readonly to: string;
  readonly direction: string;
  readonly status: string;
  readonly digits?: string;
  /** Conference legs: the text of each <Say> heard to its end from a wait, hold or announce document (the sandbox's test surface). */
  readonly heardSpeech?: readonly string[];
  readonly events: readonly { readonly status: string; readonly durationSeconds?: number }[];
}

export interface SandboxCalls {
  readonly registrations: Readonly<Record<string, number>>;
  readonly legs: readonly SandboxLeg[];
}

export async function sandboxCalls(sandbox: SandboxClient): Promise<SandboxCalls> {
  const response = await sandbox<SandboxCalls>('GET', '/sandbox/calls');
  if (response.status !== 200) throw new Error(`GET /sandbox/calls answered ${response.status}`);
  return response.body;
}

/** How many SDK sessions the sandbox has registered for `identity` (0 when none). */
export async function registrationCount(sandbox: SandboxClient, identity: string): Promise<number> {
  return (await sandboxCalls(sandbox)).registrations[identity] ?? 0;
}

/** The agent's newest 100 call records. */
export async function agentCalls(page: Page, apiUrl: string): Promise<readonly CallRecord[]> {
  return (await apiJson<ApiPage<CallRecord>>(page, apiUrl, '/api/calls?page=1&pageSize=100')).items;
}

/**
 * The one call the agent's history gained since `before` (callSids seen earlier), once it has one of
 * `statuses`. Fails if none or several new calls appear.
 */
export async function newCallRecord(
  page: Page,
  apiUrl: string,
  before: ReadonlySet<string>,
  statuses: readonly string[],
  timeout = 30_000,
): Promise<CallRecord> {
  const fresh = await eventually(
    async () => (await agentCalls(page, apiUrl)).filter((call) => !before.has(call.callSid)),
    (calls) => calls.length > 0 && calls.every((call) => statuses.includes(call.status)),
    timeout,
    `a new call stored as ${statuses.join('|')}`,
  );
  expect(fresh).toHaveLength(1);
  return fresh[0];
}

export async function knownCallSids(page: Page, apiUrl: string): Promise<Set<string>> {
  return new Set((await agentCalls(page, apiUrl)).map((call) => call.callSid));
}

/** The agent's history page row for `callSid` (navigates to /history through the tab). */
export async function historyRowText(page: Page, callSid: string): Promise<string> {
  await page.getByTestId('nav-history').click();
  const row = page.locator(`[data-testid=history-row][data-call-sid="${callSid}"]`);
  await row.waitFor();
  return row.innerText();
}

/** Cumulative inbound audio of the page's live peer connections (needs trackPeerConnections). */
export interface AudioEnergy {
  readonly totalAudioEnergy: number;
  readonly totalSamplesDuration: number;
}

export async function inboundEnergy(page: Page): Promise<AudioEnergy> {
  return page.evaluate(async () => {
    const all = (window as unknown as { __sbPeerConnections?: RTCPeerConnection[] }).__sbPeerConnections ?? [];
    let totalAudioEnergy = 0;
    let totalSamplesDuration = 0;
    for (const pc of all) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((report: { type: string; kind?: string; totalAudioEnergy?: number; totalSamplesDuration?: number }) => {
        if (report.type !== 'inbound-rtp' || report.kind !== 'audio') return;
        totalAudioEnergy += report.totalAudioEnergy ?? 0;
        totalSamplesDuration += report.totalSamplesDuration ?? 0;
      });
    }
    return { totalAudioEnergy, totalSamplesDuration };
  });
}

/**
 * Waits until the page has received `windowSeconds` of audio in a row whose mean energy is `wanted`
 * (silent: below 1e-6, i.e. digital silence; sound: above it), and returns that mean energy. The window
 * is measured in received audio (getStats' totalSamplesDuration), not wall-clock time, and slides: the
 * audio before a mute or unmute took effect end to end does not count.
 */
export async function waitForAudio(page: Page, wanted: 'silent' | 'sound', windowSeconds = 2, timeout = 20_000): Promise<number> {
  const SILENCE = 1e-6;
  const samples: AudioEnergy[] = [];
  const result = await eventually(
    async () => {
      const now = await inboundEnergy(page);
      samples.push(now);
      const start = [...samples].reverse().find((s) => now.totalSamplesDuration - s.totalSamplesDuration >= windowSeconds);
      if (!start) return { meanEnergy: null, receivedSeconds: now.totalSamplesDuration };
      const meanEnergy = (now.totalAudioEnergy - start.totalAudioEnergy) / (now.totalSamplesDuration - start.totalSamplesDuration);
      return { meanEnergy, receivedSeconds: now.totalSamplesDuration };
    },
    ({ meanEnergy }) => meanEnergy !== null && (wanted === 'silent' ? meanEnergy < SILENCE : meanEnergy > SILENCE),
    timeout,
    `${windowSeconds} s of received ${wanted === 'silent' ? 'silence' : 'sound'}`,
  );
  return result.meanEnergy as number;
}

/** The sandbox leg an SDK client placed to `to` (the parent leg, `client:<caller>` → `to`), newest first. */
export async function newestLegTo(sandbox: SandboxClient, to: string, parentOnly = false): Promise<SandboxLeg | undefined> {
  return (await sandboxCalls(sandbox)).legs.find((leg) => leg.to === to && (!parentOnly || leg.parentCallSid === undefined));
}

/**
 * Clicks `testId` once no tooltip is showing: a tooltip left open by the previous click (the pointer still
 * hovers that button) can sit over the next one and swallow the click.
 */
export async function clickClear(page: Page, testId: string): Promise<void> {
  await page.mouse.move(0, 0);
  await page.locator('.mat-mdc-tooltip').first().waitFor({ state: 'detached' });
  await page.getByTestId(testId).click();
}
