// The sign-in → registered breakdown for bench/e2e/run.mjs: which step takes how long, and where it sits
// after the click. Steps come from the app's `performance.mark('sb:…')` calls (data-access-voice's connection
// effects, the voice SDK adapter, the microphone adapter), resource timing, and the bench's page probes.

/**
 * In the page: the app's own `performance.mark('sb:…')` points (token, SDK, microphone, Device, register) and
 * the resource timing of the sign-in and token requests, as epoch ms like the probe's stamps.
 */
export function appMarks() {
  const epoch = (t) => performance.timeOrigin + t;
  const out = {};
  for (const mark of performance.getEntriesByType('mark')) if (!(mark.name in out)) out[mark.name] = epoch(mark.startTime);
  for (const entry of performance.getEntriesByType('resource')) {
    const path = new URL(entry.name).pathname;
    const key = path === '/api/auth/login' ? 'login' : path === '/api/voice/token' ? 'token-http' : null;
    if (key && !(`${key}-start` in out)) Object.assign(out, { [`${key}-start`]: epoch(entry.startTime), [`${key}-end`]: epoch(entry.responseEnd) });
  }
  return out;
}

/** The steps of one sign-in: [label, from mark, to mark]. A missing mark leaves that step out of the sample. */
const SIGN_IN_STEPS = [
  ['sign-in POST (resource timing)', 'login-start', 'login-end'],
  ['microphone permission (getUserMedia)', 'sb:microphone-start', 'sb:microphone-end'],
  ['token fetch (effect)', 'sb:token-start', 'sb:token-end'],
  // The sign-in answer carries the first token: no request; this row is answer received → token handed to the connect.
  ['token carried by the sign-in answer', 'login-end', 'sb:token-carried'],
  // The lock is asked at the click (the phone's prepare, beside the sign-in POST) or, if the app does not
  // prepare, once signed in; "from"/"to" say where each step sits, a negative "took" that the lock was asked
  // before the answer. The last row starts at whichever came later, the answer or the grant.
  ['sign-in answer → this tab has the phone (election)', 'login-end', 'sb:phone-gained'],
  ['  of which: click → lock asked (Web Locks)', 'click:sign-in-submit', 'locks:request'],
  ['  of which: answer → lock asked', 'login-end', 'locks:request'],
  ['  of which: lock asked → granted', 'locks:request', 'locks:granted'],
  ['  of which: answer and grant → phone-gained', 'answer-and-grant', 'sb:phone-gained'],
  ['SDK chunk preload (idle sign-in page)', 'sb:sdk-preload-start', 'sb:sdk-preload-end'],
  ['SDK chunk wait in register()', 'sb:sdk-start', 'sb:sdk-end'],
  ['Device created → WebSocket made', 'sb:device-created', 'ws:created'],
  ['WebSocket open (signaling connect)', 'ws:created', 'ws:open'],
  ['register (socket open → registered)', 'ws:open', 'sb:register-end'],
  ['registered → chip shows it', 'sb:register-end', 'status-chip:registered'],
];

export function signInSteps(pageMarks) {
  const click = pageMarks['click:sign-in-submit'];
  const marks = { ...pageMarks, 'answer-and-grant': laterOf(pageMarks['login-end'], pageMarks['locks:granted']) };
  const steps = Object.fromEntries(
    SIGN_IN_STEPS.map(([label, from, to]) => {
      const ok = marks[from] !== undefined && marks[to] !== undefined;
      return [label, ok ? { took: marks[to] - marks[from], startAfterClick: marks[from] - click, endAfterClick: marks[to] - click } : null];
    }),
  );
  return { ...steps, [TOKEN_SOURCE]: tokenSource(marks) };
}

/** The later of two marks, undefined if either is missing. */
function laterOf(a, b) {
  return a === undefined || b === undefined ? undefined : Math.max(a, b);
}

/** Where the first connect's token came from: the sign-in answer (no token request), a token request, or unknown (no mark). */
const TOKEN_SOURCE = 'token source';
function tokenSource(marks) {
  if (marks['sb:token-carried'] !== undefined && marks['token-http-start'] === undefined && marks['sb:token-start'] === undefined) return 'carried';
  if (marks['sb:token-start'] !== undefined || marks['token-http-start'] !== undefined) return 'requested';
  return 'unknown';
}

/** Each sign-in step: how long it took, and when it started and ended counted from the click (medians and p90). */
export function signInBreakdown(samples) {
  const stat = (values) => {
    const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    return s.length ? [percentile(s, 0.5), percentile(s, 0.9)] : [NaN, NaN];
  };
  const fmt = (v) => (Number.isFinite(v) ? v.toFixed(0) : 'n/a').padStart(8);
  console.log(`\nsign-in breakdown, ms (steps overlap: an already granted microphone is asked beside the sign-in POST, whose answer carries the first token; the SDK chunk and the election follow it side by side)`);
  console.log('step'.padEnd(52), ...['n', 'took p50', 'p90', 'from p50', 'to p50', 'to p90'].map((h) => h.padStart(8)));
  for (const [label] of SIGN_IN_STEPS) {
    const seen = samples.map((t) => t.steps[label]).filter(Boolean);
    const [took50, took90] = stat(seen.map((x) => x.took));
    const [from50] = stat(seen.map((x) => x.startAfterClick));
    const [to50, to90] = stat(seen.map((x) => x.endAfterClick));
    console.log(`  ${label}`.padEnd(52), String(seen.length).padStart(8), fmt(took50), fmt(took90), fmt(from50), fmt(to50), fmt(to90));
  }
  console.log('("from"/"to": ms after the Sign in click; a negative "from" started before it, e.g. the SDK chunk preloaded on the idle sign-in page)');
  const sources = samples.map((t) => t.steps[TOKEN_SOURCE]);
  const count = (kind) => sources.filter((source) => source === kind).length;
  console.log(
    `token: carried by the sign-in answer (no token request) in ${count('carried')} of ${samples.length} sign-ins;` +
      ` requested (POST /api/voice/token) in ${count('requested')}; unknown in ${count('unknown')}`,
  );
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}
