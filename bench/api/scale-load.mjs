// Open-loop load for scale.mjs: every request has a scheduled send time and its latency is measured from
// that time, not from when it actually left. A server that falls behind therefore shows its queueing in the
// figures instead of slowing the load down (no coordinated omission, unlike a closed loop of N connections).
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** Keep-alive requests to one origin; sockets are opened as needed, up to `maxSockets`, and reused. */
export function createClient(baseUrl, maxSockets = 1024) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(baseUrl);
  const request = (method, path, headers, body) => new Promise((resolve) => {
    const req = http.request({ host: hostname, port, method, path, agent, headers: { ...headers, 'content-length': Buffer.byteLength(body ?? '') } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    // A request that errors (reset, refused) counts as a failure with status 0; the run goes on.
    req.on('error', () => resolve(0));
    req.end(body ?? '');
  });
  return { request, close: () => agent.destroy() };
}

/**
 * Sends each event at `start + event.at` ms (events sorted by `at`) with `send(event)` → Promise<status>,
 * and returns, per event kind, latencies in ms (from the scheduled time to the answer) failures (non-2xx or errors) and their statuses (0: no answer).
 */
export async function runSchedule(events, send) {
  const byKind = new Map();
  const record = (kind, latency, status) => {
    const entry = byKind.get(kind) ?? { latencies: [], failures: 0, statuses: {} };
    entry.latencies.push(latency);
    if (status < 200 || status >= 300) {
      entry.failures++;
      entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
    }
    byKind.set(kind, entry);
  };
  const pending = [];
  const start = performance.now();
  let next = 0;
  while (next < events.length) {
    const now = performance.now() - start;
    while (next < events.length && events[next].at <= now) {
      const event = events[next++];
      const scheduled = start + event.at;
      pending.push(send(event).then((status) => record(event.kind, performance.now() - scheduled, status)));
    }
    if (next < events.length) await new Promise((r) => setTimeout(r, Math.max(0, Math.min(5, events[next].at - (performance.now() - start)))));
  }
  await Promise.all(pending);
  return byKind;
}

/** The q-quantile (0–1) of unsorted values, nearest rank; null when there are none. */
export function quantile(values, q) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * One step's schedule for `agents` simulated agents over `seconds`: each refreshes its voice token every
 * `tokenPeriod` s and reports presence every `presencePeriod` s, from a random phase (agents signed in at
 * different times), while `callsPerSecond` calls arrive evenly, each an outgoing webhook then status callbacks
 * at the given offsets (ms). Returns events sorted by `at` (ms).
 */
export function stepSchedule({ agents, seconds, tokenPeriod, presencePeriod, callsPerSecond, callbackOffsets }) {
  const events = [];
  const span = seconds * 1000;
  for (let agent = 0; agent < agents; agent++) {
    for (const [kind, period] of [['token', tokenPeriod * 1000], ['presence', presencePeriod * 1000]]) {
      for (let at = Math.random() * period; at < span; at += period) events.push({ at, kind, agent });
    }
  }
  const gap = 1000 / callsPerSecond;
  for (let call = 0; call * gap < span; call++) {
    const at = call * gap;
    events.push({ at, kind: 'outgoing', route: 'outgoing', call, agent: call % agents });
    callbackOffsets.forEach(([status, offset], sequence) => events.push({ at: at + offset, kind: 'status', route: 'status', status, sequence, call, agent: call % agents }));
  }
  return events.sort((a, b) => a.at - b.at);
}
