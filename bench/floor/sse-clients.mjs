// Many Server-Sent Events streams from one process, for the floor bench: each on its own node:http
// connection (as each browser holds one), parsed just enough to hand every `data:` JSON to a callback with
// the time its chunk arrived. Used against the API and the bare ceiling alike, so both pay the same client cost.
import { readFileSync } from 'node:fs';
import { get } from 'node:http';

/**
 * Opens a stream to `url` with `headers`; resolves once it answered 200. `onEvent(event, receivedAt)` for
 * each frame's data; `onEnd()` when the connection ends (a bench run expects none before it closes them).
 */
export function openStream(url, headers, onEvent, onEnd = () => undefined) {
  return new Promise((resolveOpen, reject) => {
    const request = get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (incoming) => {
      if (incoming.statusCode !== 200) {
        incoming.resume();
        reject(new Error(`${url} answered ${incoming.statusCode}`));
        return;
      }
      let pending = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk) => {
        const receivedAt = Date.now();
        pending += chunk;
        let end;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const frame = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const data = frame.split('\n').find((field) => field.startsWith('data: '));
          if (data !== undefined) onEvent(JSON.parse(data.slice(6)), receivedAt);
        }
      });
      incoming.once('close', onEnd);
      resolveOpen({ close: () => request.destroy() });
    });
    request.once('error', reject);
  });
}

/** Opens `count` streams, `batch` at a time (a burst of 520 connects is not what is measured). */
export async function openStreams(count, open, batch = 40) {
  const streams = [];
  for (let first = 0; first < count; first += batch) {
    streams.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - first) }, (_, k) => open(first + k)))));
  }
  return streams;
}

/** Nearest-rank quantile of a list of numbers (NaN when empty). */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Resident set size of a process in MiB (Linux /proc), or NaN. */
export function rssMiB(pid) {
  try {
    const kib = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return kib / 1024;
  } catch {
    return NaN;
  }
}

/** User + system CPU seconds a process has used so far (Linux /proc; USER_HZ is 100), or NaN. */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Samples the RSS of `pids` every `everyMs`; stop() returns each pid's peak. */
export function sampleRss(pids, everyMs = 200) {
  const peaks = new Map(pids.map((pid) => [pid, rssMiB(pid)]));
  const timer = setInterval(() => {
    for (const pid of pids) peaks.set(pid, Math.max(peaks.get(pid), rssMiB(pid)));
  }, everyMs);
  return { stop: () => { clearInterval(timer); return peaks; } };
}
