import { API_ROUTES, type AvailabilityResponse } from '@switchboard/shared-contracts';
import type { BrowserContext, Page } from '@playwright/test';

/**
 * What an agent does and sees in the softphone, through the UI's data-testids only.
 * Waits are on the page's own state (selectors), never fixed sleeps.
 */
export async function signIn(page: Page, apiUrl: string, identity: string, password = 'switchboard-demo'): Promise<void> {
  await page.goto(`${apiUrl}/sign-in`);
  await page.getByTestId('sign-in-identity').fill(identity);
  await page.getByTestId('sign-in-password').fill(password);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('status-chip').first().waitFor();
  // The API rings only Available, reachable agents (ROUTE_ONLY_AVAILABLE, the default): a spec goes on once this one is.
  await waitUntilRingable(page);
}

/** The agent is Available and the API says their phone can ring (the header's availability status). */
export async function waitUntilRingable(page: Page, timeout = 45_000): Promise<void> {
  // An agent an earlier test on this stack left in wrap-up (WRAP_UP_SECONDS, 60 s) or away ends it, as they would,
  // so each test starts from an Available agent.
  const availability = `${new URL(page.url()).origin}${API_ROUTES.availability}`;
  const own = await page.request.get(availability);
  if (own.ok()) {
    const view = (await own.json()) as AvailabilityResponse;
    const { state } = view.availability;
    if (state === 'wrap-up') await page.request.put(availability, { data: { state: 'available', disposition: view.dispositionCodes[0]?.id } });
    else if (state === 'away') await page.request.put(availability, { data: { state: 'available' } });
  }
  await page.locator('[data-testid=availability-status][data-state=available][data-reachable=true]').waitFor({ timeout });
}

/** The connection phase the status chip shows (data-state), e.g. 'registered'. */
export async function chipState(page: Page): Promise<string | null> {
  return page.getByTestId('status-chip').first().getAttribute('data-state');
}

export async function waitForChip(page: Page, state: string, timeout = 30_000): Promise<void> {
  await page.locator(`[data-testid=status-chip][data-state="${state}"]`).first().waitFor({ timeout });
}

/** Dial an agent (picked from the directory) or a number typed as the agent would. */
export async function dial(page: Page, target: string): Promise<void> {
  const input = page.getByTestId('dial-input');
  await input.fill(target);
  const agentOption = page.getByTestId(`agent-option-${target}`);
  if (await agentOption.count()) await agentOption.click();
  else await input.press('Escape');
  await page.getByTestId('call-button').click();
}

export async function waitForCallPhase(page: Page, phase: string, timeout = 30_000): Promise<void> {
  await page.locator(`[data-testid=in-call-view][data-phase="${phase}"]`).waitFor({ timeout });
}

/**
 * Records every RTCPeerConnection the page creates so tests can read getStats. Installed before any page
 * script runs; the SDK itself is untouched.
 */
export async function trackPeerConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const all: RTCPeerConnection[] = [];
    (window as unknown as { __sbPeerConnections: RTCPeerConnection[] }).__sbPeerConnections = all;
    window.RTCPeerConnection = class extends Native {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        all.push(this);
      }
    } as typeof RTCPeerConnection;
  });
}

export interface InboundAudio {
  readonly bytesReceived: number;
  readonly audioLevel: number;
  readonly openConnections: number;
}

/** Inbound audio of the page's live peer connections, summed (bytes) and maxed (level). */
export async function inboundAudio(page: Page): Promise<InboundAudio> {
  return page.evaluate(async () => {
    const all = (window as unknown as { __sbPeerConnections?: RTCPeerConnection[] }).__sbPeerConnections ?? [];
    let bytesReceived = 0;
    let audioLevel = 0;
    let openConnections = 0;
    for (const pc of all) {
      if (pc.connectionState === 'closed') continue;
      openConnections++;
      const stats = await pc.getStats();
      stats.forEach((report: { type: string; kind?: string; bytesReceived?: number; audioLevel?: number }) => {
        if (report.type === 'inbound-rtp' && report.kind === 'audio') {
          bytesReceived += report.bytesReceived ?? 0;
          audioLevel = Math.max(audioLevel, report.audioLevel ?? 0);
        }
      });
    }
    return { bytesReceived, audioLevel, openConnections };
  });
}

/** Polls `probe` until `accept` holds, then returns the value; fails with the last value after `timeout`. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeout = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
    last = await probe();
  }
  return last;
}
