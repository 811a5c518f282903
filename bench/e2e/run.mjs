#!/usr/bin/env node
// End-to-end figures on the voice sandbox, in Debian's Chromium with fake media (printed, not asserted):
//  - sign-in click → status chip `registered`, and dial click → in-call view `open` on the caller (alice → bob);
//  - alice's JS heap (after forced GC) and live RTCPeerConnections after the first call and after BENCH_CALLS calls;
//  - API and sandbox resident memory at the same two points.
// Run after building api, softphone and voice-sandbox (`npm run bench` does). Env: BENCH_SIGNINS (default 20),
// BENCH_CALLS (default 50), CHROMIUM_PATH (default /usr/bin/chromium), BENCH_ROOT (a directory holding its own
// dist/apps/{api,softphone,voice-sandbox}, e.g. a copy of an earlier build for before/after: dist/ is shared with
// whoever builds next; default the workspace).
//
// How the times are taken: an init script in each page stamps the first moment (performance.timeOrigin + now)
// a click lands on a data-testid element and the first moment the status chip / in-call view shows each
// state, from a MutationObserver. So a figure is page-side, click event → DOM update, without Playwright's
// round trips. Bob answers from a script in his page that clicks accept-button the moment the incoming card
// renders it enabled (no Playwright round trip on the callee either), so dial → open is signaling, webhooks,
// TwiML, bridging and ICE/DTLS of both legs, plus a near-zero "human" answer time.
import { cpus, loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS as SHARED_CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tools/stack/chromium.mjs';
import { recentOutput, startStack } from '../../tools/stack/index.mjs';
import { heapAfterGc, processMemory } from './process-memory.mjs';
import { appMarks, signInBreakdown, signInSteps } from './sign-in-steps.mjs';

const SIGN_INS = positiveInteger('BENCH_SIGNINS', 20);
const CALLS = Math.max(2, positiveInteger('BENCH_CALLS', 50));
const DIAL_SAMPLES = Math.min(20, CALLS - 1);
const STEP_TIMEOUT_MS = 30_000;
const WHOLE_RUN_TIMEOUT_MS = 20 * 60_000;
// A sample that fails is counted and reported, not measured; past this many the run stops (something is broken).
const MAX_FAILURES = 5;

const CHROMIUM_ARGS = [
  ...SHARED_CHROMIUM_ARGS,
  // Bench only: window.gc() for a heap figure without garbage, and performance.memory without its coarse buckets.
  '--js-flags=--expose-gc',
  '--enable-precise-memory-info',
];

/** Installed in every page before its scripts: time stamps, bob's auto-accept, and a peer-connection census. */
function pageProbes() {
  const marks = new Map();
  const stamp = (key) => {
    if (!marks.has(key)) marks.set(key, performance.timeOrigin + performance.now());
  };
  const accepted = new WeakSet();
  let autoAccept = false;

  document.addEventListener(
    'click',
    (event) => {
      const target = event.target instanceof Element ? event.target.closest('[data-testid]') : null;
      if (target) stamp(`click:${target.getAttribute('data-testid')}`);
    },
    true,
  );
  const observe = () => {
    const chip = document.querySelector('[data-testid="status-chip"]')?.getAttribute('data-state');
    if (chip) stamp(`status-chip:${chip}`);
    const phase = document.querySelector('[data-testid="in-call-view"]')?.getAttribute('data-phase');
    if (phase) stamp(`in-call-view:${phase}`);
    if (document.querySelector('[data-testid="incoming-card"]')) stamp('incoming-card');
    const accept = document.querySelector('[data-testid="accept-button"]');
    if (autoAccept && accept instanceof HTMLButtonElement && !accept.disabled && !accepted.has(accept)) {
      accepted.add(accept);
      stamp('auto-accept');
      accept.click();
    }
  };
  new MutationObserver(observe).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-state', 'data-phase', 'disabled'],
  });

  // The SDK's signaling socket (the page's only WebSocket; live events use EventSource): when it is made and opens.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      stamp('ws:created');
      this.addEventListener('open', () => stamp('ws:open'), { once: true });
    }
  };

  // The phone's tab election (Web Locks): when this page first asks for a lock and when one is granted.
  const locks = navigator.locks;
  if (locks) {
    const request = locks.request.bind(locks);
    locks.request = (name, ...rest) => {
      stamp('locks:request');
      const callback = rest.pop();
      return request(name, ...rest, (lock) => {
        if (lock) stamp('locks:granted');
        return callback(lock);
      });
    };
  }

  // Strong references only to connections not yet closed, so the census itself keeps nothing alive.
  const Native = window.RTCPeerConnection;
  const open = new Set();
  let constructed = 0;
  let closed = 0;
  const forget = (pc) => {
    if (open.delete(pc)) closed++;
  };
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      constructed++;
      open.add(this);
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'closed') forget(this);
      });
    }
    close() {
      forget(this);
      return super.close();
    }
  };

  window.__sbBench = {
    reset: () => marks.clear(),
    marks: () => Object.fromEntries(marks),
    setAutoAccept: (on) => {
      autoAccept = on;
      observe();
    },
    peerConnections: () => ({ constructed, closed, live: [...open].filter((pc) => pc.connectionState !== 'closed').length }),
    inboundAudioBytes: async () => {
      let bytes = 0;
      for (const pc of open) {
        (await pc.getStats()).forEach((report) => {
          if (report.type === 'inbound-rtp' && report.kind === 'audio') bytes += report.bytesReceived ?? 0;
        });
      }
      return bytes;
    },
  };
}

const problems = { nonLoopbackRequests: [], pageErrors: [] };

async function newAgentPage(browser) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, permissions: ['microphone'] });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.on('request', (request) => {
    if (!isLoopbackUrl(request.url())) problems.nonLoopbackRequests.push(request.url());
  });
  await context.addInitScript(pageProbes);
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.pageErrors.push(String(error)));
  return { context, page };
}

/** Signs in through the UI; returns ms from the submit click to the chip showing `registered`. */
async function signIn(page, apiUrl, identity) {
  await page.goto(`${apiUrl}/sign-in`, { timeout: STEP_TIMEOUT_MS });
  await page.getByTestId('sign-in-identity').fill(identity);
  await page.getByTestId('sign-in-password').fill(process.env.DEMO_PASSWORD ?? 'switchboard-demo');
  await page.getByTestId('sign-in-submit').click();
  try {
    await page.locator('[data-testid=status-chip][data-state=registered]').first().waitFor();
  } catch (error) {
    throw new Error(`${identity} not registered within ${STEP_TIMEOUT_MS / 1000} s; ${await describe(page)}`, { cause: error });
  }
  const marks = { ...(await page.evaluate(() => window.__sbBench.marks())), ...(await page.evaluate(appMarks)) };
  return {
    total: between(marks, 'click:sign-in-submit', 'status-chip:registered', `${identity}'s sign-in`),
    steps: signInSteps(marks),
  };
}

/** What the page shows, for a failure message. */
async function describe(page) {
  return page
    .evaluate(() => {
      const text = (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim().replace(/\s+/g, ' ');
      const chip = document.querySelector('[data-testid="status-chip"]')?.getAttribute('data-state');
      const phase = document.querySelector('[data-testid="in-call-view"]')?.getAttribute('data-phase');
      const stamps = Object.entries(window.__sbBench?.marks() ?? {}).map(([k, t]) => `${k}@${new Date(t).toISOString().slice(11, 23)}`);
      return `url ${location.pathname}, chip ${chip ?? '-'} (${text('status-detail') ?? ''}), call view ${phase ?? '-'}, error ${text('error-message') ?? '-'}, stamps: ${stamps.join(' ')}`;
    })
    .catch((error) => `page unreadable: ${error}`);
}

/** One alice → bob call, answered by bob's page script, held until alice hears audio, hung up by alice. */
async function oneCall(alice, bob) {
  await Promise.all([alice.page.evaluate(() => window.__sbBench.reset()), bob.page.evaluate(() => window.__sbBench.reset())]);
  await alice.page.getByTestId('dial-input').fill('bob');
  await alice.page.getByTestId('agent-option-bob').click();
  await alice.page.getByTestId('call-button').click();
  try {
    await alice.page.locator('[data-testid=in-call-view][data-phase=open]').waitFor();
  } catch (error) {
    throw new Error(`call not open on alice within ${STEP_TIMEOUT_MS / 1000} s; alice: ${await describe(alice.page)}; bob: ${await describe(bob.page)}`, {
      cause: error,
    });
  }
  const [aliceMarks, bobMarks] = await Promise.all([
    alice.page.evaluate(() => window.__sbBench.marks()),
    bob.page.evaluate(() => window.__sbBench.marks()),
  ]);
  const heardAudio = await until(() => alice.page.evaluate(() => window.__sbBench.inboundAudioBytes()), (bytes) => bytes > 0, 10_000);
  await alice.page.getByTestId('hang-up-button').click();
  await Promise.all([
    alice.page.getByTestId('in-call-view').waitFor({ state: 'detached' }),
    bob.page.getByTestId('in-call-view').waitFor({ state: 'detached' }),
    bob.page.getByTestId('incoming-card').waitFor({ state: 'detached' }),
  ]);
  await alice.page.locator('[data-testid=status-chip][data-state=registered]').first().waitFor();
  const dial = aliceMarks['click:call-button'];
  return {
    dialToOpen: between(aliceMarks, 'click:call-button', 'in-call-view:open', 'dial → open'),
    dialToIncomingCard: bobMarks['incoming-card'] - dial,
    acceptToOpen: aliceMarks['in-call-view:open'] - bobMarks['auto-accept'],
    heardAudio: heardAudio !== undefined,
  };
}

/** After a failed call: end whatever is left on both sides so the next call starts from idle. Throws if it can't. */
async function recover(alice, bob) {
  const quick = { timeout: 5000 };
  if (await alice.page.getByTestId('hang-up-button').count()) await alice.page.getByTestId('hang-up-button').click(quick).catch(() => undefined);
  if (await bob.page.getByTestId('hang-up-button').count()) await bob.page.getByTestId('hang-up-button').click(quick).catch(() => undefined);
  if (await bob.page.getByTestId('decline-button').count()) await bob.page.getByTestId('decline-button').click(quick).catch(() => undefined);
  await Promise.all([
    alice.page.getByTestId('in-call-view').waitFor({ state: 'detached' }),
    bob.page.getByTestId('in-call-view').waitFor({ state: 'detached' }),
    bob.page.getByTestId('incoming-card').waitFor({ state: 'detached' }),
    alice.page.locator('[data-testid=status-chip][data-state=registered]').first().waitFor(),
    bob.page.locator('[data-testid=status-chip][data-state=registered]').first().waitFor(),
  ]);
}

/** Alice's heap after forced GC and her peer-connection census, once her closed calls have let go of media. */
async function pageMemory(page) {
  await until(() => page.evaluate(() => window.__sbBench.peerConnections().live), (live) => live === 0, 10_000);
  return page.evaluate(async () => {
    const forced = typeof window.gc === 'function';
    for (let i = 0; i < 3; i++) {
      window.gc?.();
      await new Promise((r) => setTimeout(r, 100));
    }
    return { heapMiB: performance.memory.usedJSHeapSize / 2 ** 20, forced, ...window.__sbBench.peerConnections() };
  });
}

async function main() {
  let stack;
  let browser;
  const stopAll = async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  };
  const watchdog = setTimeout(() => {
    console.error(`bench/e2e: gave up after ${WHOLE_RUN_TIMEOUT_MS / 60_000} min`);
    setTimeout(() => process.exit(3), 15_000).unref();
    stopAll().finally(() => process.exit(3));
  }, WHOLE_RUN_TIMEOUT_MS);
  process.once('SIGINT', () => stopAll().finally(() => process.exit(130)));
  try {
    try {
      stack = await startStack({
        ...(process.env.BENCH_ROOT ? { root: process.env.BENCH_ROOT } : {}),
        inspect: true,
        // 21+ sign-ins of one agent within a minute would meet the token rate limit (30/min), which is not what is measured.
        apiEnv: { LOG_LEVEL: 'warn', VOICE_TOKEN_RATE_LIMIT: '10000' },
      });
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: STEP_TIMEOUT_MS });
    } catch (error) {
      console.error(`bench/e2e: could not start the stack or the browser: ${error instanceof Error ? error.message : error}`);
      process.exitCode = 2;
      return;
    }
    const { apiUrl } = stack;
    console.log(`stack up: API ${apiUrl}, sandbox ${stack.sandboxUrl}; Chromium ${browser.version()}; Node ${process.version}`);
    console.log(`machine: ${cpus().length} CPU(s), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (figures move with other load)`);

    // Sign-in: a fresh context (no cookies, no cache of the session) each time; one unmeasured warm-up first.
    const signInTimes = [];
    const signInFailures = [];
    for (let warmedUp = false; signInTimes.length < SIGN_INS; ) {
      const agent = await newAgentPage(browser);
      try {
        const sample = await signIn(agent.page, apiUrl, 'alice');
        if (warmedUp) signInTimes.push(sample);
        warmedUp = true;
      } catch (error) {
        signInFailures.push(error.message);
        console.log(`sign-in failed: ${error.message}`);
        if (signInFailures.length > MAX_FAILURES) throw new Error(`more than ${MAX_FAILURES} sign-ins failed`);
      } finally {
        await agent.context.close();
      }
    }
    console.log(`sign-in: ${SIGN_INS} measured, ${signInFailures.length} failed`);

    const alice = await newAgentPage(browser);
    const bob = await newAgentPage(browser);
    await signIn(alice.page, apiUrl, 'alice');
    await signIn(bob.page, apiUrl, 'bob');
    await bob.page.evaluate(() => window.__sbBench.setAutoAccept(true));

    const calls = [];
    // A snapshot halfway tells a steady climb (leak) from a one-off step (caches filling).
    const midpoint = Math.ceil(CALLS / 2);
    let afterFirst;
    let afterMidpoint;
    const callFailures = [];
    for (let i = 1; i <= CALLS; i++) {
      try {
        calls.push({ attempt: i, ...(await oneCall(alice, bob)) });
      } catch (error) {
        callFailures.push(error.message);
        console.log(`call ${i} failed: ${error.message}`);
        if (callFailures.length > MAX_FAILURES) throw new Error(`more than ${MAX_FAILURES} calls failed`);
        await recover(alice, bob);
      }
      if (i === 1) afterFirst = await snapshot(alice.page, stack);
      if (i === midpoint && i > 1 && i < CALLS) afterMidpoint = await snapshot(alice.page, stack);
      if (i % 10 === 0) console.log(`calls: ${i}/${CALLS}`);
    }
    const afterAll = await snapshot(alice.page, stack);
    await alice.context.close();
    await bob.context.close();

    // Call 1 is the baseline for memory and is left out of the latency sample (first-call warm-up).
    const sample = calls.filter((call) => call.attempt > 1).slice(0, DIAL_SAMPLES);
    report({ signInTimes, sample, calls, snapshots: [afterFirst, afterMidpoint, afterAll], midpoint });
    const failures = [...signInFailures, ...callFailures];
    console.log(`failed samples (not measured): ${signInFailures.length} sign-in(s), ${callFailures.length} call(s)`);
    for (const failure of failures) console.log(`  - ${failure}`);
  } catch (error) {
    console.error(`bench/e2e failed: ${error instanceof Error ? error.stack : error}`);
    if (stack) for (const child of Object.values(stack.children)) console.error(recentOutput(child).slice(-4000));
    process.exitCode = 1;
  } finally {
    await stopAll();
    clearTimeout(watchdog);
  }
}

async function snapshot(page, stack) {
  const [apiHeap, sandboxHeap] = await Promise.all([heapAfterGc(stack.children.api), heapAfterGc(stack.children.sandbox)]);
  return {
    page: await pageMemory(page),
    api: { ...processMemory(stack.children.api.pid), heapMiB: apiHeap },
    sandbox: { ...processMemory(stack.children.sandbox.pid), heapMiB: sandboxHeap },
  };
}

function report({ signInTimes, sample, calls, snapshots, midpoint }) {
  const row = (label, values) => {
    const s = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    if (!s.length) return console.log(label.padEnd(44), '0'.padStart(8), 'n/a'.padStart(8));
    const cells = [s.length, percentile(s, 0.5), percentile(s, 0.9), s[0], s[s.length - 1]];
    console.log(label.padEnd(44), ...cells.map((v, i) => (i === 0 ? String(v) : v.toFixed(0)).padStart(8)));
  };
  console.log('\nEnd to end on the voice sandbox (loopback, Chromium with fake media; page-side click → DOM update)');
  console.log('latency, ms'.padEnd(44), ...['n', 'median', 'p90', 'min', 'max'].map((h) => h.padStart(8)));
  row('sign-in click → chip registered', signInTimes.map((t) => t.total));
  const span = sample.length ? `calls ${sample[0].attempt}–${sample[sample.length - 1].attempt}` : 'no calls';
  console.log('  targets (issue 15): median ≤ 400, p90 ≤ 700; dial click → open ≤ 200');
  row(`dial click → open, alice→bob (${span})`, sample.map((c) => c.dialToOpen));
  row('  dial click → bob’s incoming card', sample.map((c) => c.dialToIncomingCard));
  row('  bob’s accept → open on alice', sample.map((c) => c.acceptToOpen));
  row(`dial click → open, all ${calls.length} connected calls`, calls.map((c) => c.dialToOpen));
  console.log(`connected calls where alice received audio before hang-up: ${calls.filter((c) => c.heardAudio).length}/${calls.length}`);

  signInBreakdown(signInTimes);

  const mib = (v) => (v == null || Number.isNaN(v) ? 'n/a' : v.toFixed(1));
  const count = (v) => (v == null ? 'n/a' : String(v));
  const [first, middle, last] = snapshots;
  const line = (label, pick, fmt = mib) => {
    const [a, m, b] = [first, middle, last].map((shot) => (shot ? pick(shot) : undefined));
    const change = a == null || b == null || Number.isNaN(a) || Number.isNaN(b) ? 'n/a' : `${b - a >= 0 ? '+' : ''}${fmt(b - a)}`;
    console.log(label.padEnd(44), fmt(a).padStart(13), (middle ? fmt(m) : '-').padStart(13), fmt(b).padStart(13), change.padStart(10));
  };
  const heading = ['after call 1', middle ? `after call ${midpoint}` : '-', `after call ${CALLS}`].map((h) => h.padStart(13));
  console.log(`\n${'memory'.padEnd(44)}`, ...heading, '1→last'.padStart(10));
  line(`alice JS heap, MiB${last.page.forced ? ' (after window.gc())' : ' (no forced GC)'}`, (s) => s.page.heapMiB);
  line('alice live RTCPeerConnections', (s) => s.page.live, count);
  line('alice RTCPeerConnections constructed', (s) => s.page.constructed, count);
  line('alice RTCPeerConnections closed', (s) => s.page.closed, count);
  line('API V8 heap after GC, MiB', (s) => s.api.heapMiB);
  line('voice sandbox V8 heap after GC, MiB', (s) => s.sandbox.heapMiB);
  line('API process RSS, MiB', (s) => s.api?.rssMiB);
  line('voice sandbox process RSS, MiB', (s) => s.sandbox?.rssMiB);
  line('API peak RSS (VmHWM), MiB', (s) => s.api?.peakMiB);
  line('voice sandbox peak RSS (VmHWM), MiB', (s) => s.sandbox?.peakMiB);
  console.log('(V8 heaps read through each process\'s inspector after HeapProfiler.collectGarbage; RSS also counts');
  console.log(' memory V8 and WebAssembly (the API\'s embedded PGlite) keep reserved, and is not returned promptly.)');
  console.log('(The sandbox keeps its last 200 finished legs, with status events, for GET /sandbox/calls: 2 legs per call,');
  console.log(' so its heap is expected to grow until 100 calls; growth past that would be a leak.)');

  const offLoopback = [...new Set(problems.nonLoopbackRequests)];
  console.log(`\nrequests outside loopback: ${offLoopback.length}${offLoopback.length ? ` (${offLoopback.slice(0, 5).join(', ')})` : ''}`);
  console.log(`uncaught page errors: ${problems.pageErrors.length}${problems.pageErrors.length ? ` (${problems.pageErrors.slice(0, 3).join(' | ')})` : ''}`);
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

function between(marks, from, to, what) {
  if (marks[from] === undefined || marks[to] === undefined) {
    throw new Error(`${what}: no time stamp for ${marks[from] === undefined ? from : to} (have ${Object.keys(marks).join(', ')})`);
  }
  return marks[to] - marks[from];
}

/** Polls `probe` until `accept` holds (returns the value) or `timeoutMs` passes (returns undefined). */
async function until(probe, accept, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function isLoopbackUrl(url) {
  try {
    const { protocol, hostname } = new URL(url);
    if (['data:', 'blob:', 'about:'].includes(protocol)) return true;
    return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  } catch {
    return false;
  }
}

function positiveInteger(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
}

await main();
