// The agent pages of the client reliability bench: Debian's Chromium with the shared flags, an init script that
// stamps every state the softphone shows (from a MutationObserver, page-side, so a short-lived state between
// two polls is not missed), and a watch on every page for unhandled rejections, uncaught errors, console
// errors, token requests and signaling frames carrying 20104.
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tools/stack/chromium.mjs';

export const STEP_TIMEOUT_MS = 30_000;
const TOKEN_PATH = '/api/voice/token';

/** Installed in every page before its scripts. Times are wall-clock ms (performance.timeOrigin + now). */
function pageProbes() {
  const now = () => performance.timeOrigin + performance.now();
  const seen = { chip: [], phase: [], outcomes: [], incoming: [], errorCodes: [], rejections: [] };
  const last = {};
  let autoAccept = false;
  const note = (list, key, value) => {
    if (last[key] === value) return;
    last[key] = value;
    list.push({ value, at: now() });
  };
  const observe = () => {
    const chip = document.querySelector('[data-testid="status-chip"]');
    note(seen.chip, 'chip', chip ? (chip.getAttribute('data-state') ?? 'none') : 'absent');
    const view = document.querySelector('[data-testid="in-call-view"]');
    note(seen.phase, 'phase', view ? (view.getAttribute('data-phase') ?? 'none') : 'none');
    const outcome = document.querySelector('[data-testid="call-outcome"]');
    // The title only: the element's whole text would also hold its icons' ligature names.
    const outcomeTitle = outcome?.querySelector('.title')?.textContent ?? outcome?.textContent ?? '';
    const outcomeText = outcome ? `${outcome.getAttribute('data-outcome')}|${outcomeTitle.replace(/\s+/g, ' ').trim()}` : '';
    if (outcomeText && last.outcome !== outcomeText) seen.outcomes.push({ kind: outcome.getAttribute('data-outcome'), text: outcomeText.split('|')[1], at: now() });
    last.outcome = outcomeText;
    note(seen.incoming, 'incoming', document.querySelector('[data-testid="incoming-card"]') ? 'shown' : 'gone');
    for (const box of document.querySelectorAll('[data-testid="error-guidance"][data-code]')) {
      const code = box.getAttribute('data-code');
      if (!seen.errorCodes.some((e) => e.value === code && now() - e.at < 5000)) seen.errorCodes.push({ value: code, at: now() });
    }
    const accept = document.querySelector('[data-testid="accept-button"]');
    if (autoAccept && accept instanceof HTMLButtonElement && !accept.disabled && !accept.dataset.sbClicked) {
      accept.dataset.sbClicked = '1';
      accept.click();
    }
  };
  new MutationObserver(observe).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state', 'data-phase', 'data-outcome', 'data-code', 'disabled'] });
  window.addEventListener('unhandledrejection', (event) => seen.rejections.push({ value: String(event.reason?.stack ?? event.reason), at: now() }));

  const Native = window.RTCPeerConnection;
  const open = new Set();
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      open.add(this);
    }
    close() {
      open.delete(this);
      return super.close();
    }
  };
  const documentId = Math.random().toString(36).slice(2);
  window.__sbRel = {
    documentId,
    seen: () => JSON.parse(JSON.stringify(seen)),
    setAutoAccept: (on) => {
      autoAccept = on;
      observe();
    },
    inboundAudioBytes: async () => {
      let bytes = 0;
      for (const pc of open) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((report) => {
          if (report.type === 'inbound-rtp' && report.kind === 'audio') bytes += report.bytesReceived ?? 0;
        });
      }
      return bytes;
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], timeout: STEP_TIMEOUT_MS });
}

/**
 * A fresh context and page for one agent. `problems` collects, across every page of the run: unhandled
 * rejections (from pageerror and the page's own listener), console errors, requests off loopback.
 * The agent's own counters: token responses (status, time) and 20104 seen on its signaling socket.
 */
export async function newAgent(browser, identity, problems) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, permissions: ['microphone'] });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.on('request', (request) => {
    if (!isLoopbackUrl(request.url())) problems.offLoopback.push(request.url());
  });
  await context.addInitScript(pageProbes);
  const page = await context.newPage();
  const agent = { identity, context, page, tokens: [], signaling20104: 0 };
  // Each entry names the section it happened in (problems.section), so a fault's expected noise is told apart.
  page.on('pageerror', (error) => problems.pageErrors.push(`[${problems.section}] ${identity}: ${String(error).slice(0, 300)}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const where = message.location()?.url?.replace(/^https?:\/\/127\.0\.0\.1:\d+/, '');
    // Stamped on arrival so the report can tell errors inside an injected fault's window from the rest.
    problems.consoleErrors.push({ section: problems.section, identity, source: consoleErrorSource(text), at: Date.now(), text: `${text.slice(0, 200)}${where ? ` (${where})` : ''}` });
  });
  page.on('response', (response) => {
    if (response.request().method() === 'POST' && new URL(response.url()).pathname === TOKEN_PATH) agent.tokens.push({ status: response.status(), at: Date.now() });
  });
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string' && payload.includes('20104')) agent.signaling20104++;
    });
  });
  return agent;
}

/**
 * Who wrote a console error. The Voice SDK logs through loglevel with a `[TwilioVoice][<tag>]` prefix on every
 * line (node_modules/@twilio/voice-sdk/es5/twilio/log.js); Chromium itself reports failed requests and
 * WebSocket connections in its own words; everything else is the app's.
 */
export function consoleErrorSource(text) {
  if (text.startsWith('[TwilioVoice]')) return 'sdk';
  if (/^(Failed to load resource: |WebSocket connection to '[^']*' failed)/.test(text)) return 'browser';
  return 'app';
}

export async function signIn(agent, apiUrl) {
  await agent.page.goto(`${apiUrl}/sign-in`, { timeout: STEP_TIMEOUT_MS });
  await agent.page.getByTestId('sign-in-identity').fill(agent.identity);
  await agent.page.getByTestId('sign-in-password').fill(process.env.DEMO_PASSWORD ?? 'switchboard-demo');
  await agent.page.getByTestId('sign-in-submit').click();
  await waitForChip(agent, 'registered');
}

export async function waitForChip(agent, state, timeout = STEP_TIMEOUT_MS) {
  await agent.page.locator(`[data-testid=status-chip][data-state="${state}"]`).first().waitFor({ timeout });
}

/** Everything the page's probes stamped so far, plus its document id (changes only on a reload). */
export async function seen(agent) {
  return agent.page.evaluate(() => ({ ...window.__sbRel.seen(), documentId: window.__sbRel.documentId }));
}

/** Unhandled rejections the page's own listener caught (pageerror also reports most of them). */
export async function pageRejections(agent) {
  return agent.page.evaluate(() => window.__sbRel.seen().rejections.map((r) => r.value)).catch(() => []);
}

export async function dial(agent, target) {
  await agent.page.getByTestId('dial-input').fill(target);
  await agent.page.getByTestId(`agent-option-${target}`).click();
  await agent.page.getByTestId('call-button').click();
}

/** What the page shows, for a failure message. */
export async function describe(agent) {
  return agent.page
    .evaluate(() => {
      const attr = (id, name) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute(name) ?? '-';
      const text = (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim().replace(/\s+/g, ' ') ?? '-';
      return `chip ${attr('status-chip', 'data-state')}, call view ${attr('in-call-view', 'data-phase')}, outcome ${text('call-outcome')}`;
    })
    .then((text) => `${agent.identity}: ${text}`)
    .catch((error) => `${agent.identity}: page unreadable (${error})`);
}

/** Polls `probe` until `accept` holds (returns the value) or `timeoutMs` passes (returns undefined). Bounded. */
export async function until(probe, accept, timeoutMs, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) return undefined;
    await sleep(everyMs);
  }
}

export const sleep = (ms) => new Promise((resolveLater) => setTimeout(resolveLater, ms));

function isLoopbackUrl(url) {
  try {
    const { protocol, hostname } = new URL(url);
    if (['data:', 'blob:', 'about:'].includes(protocol)) return true;
    return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  } catch {
    return false;
  }
}
