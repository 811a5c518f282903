// Memory figures of the stack's processes for the browser bench: V8 heap after a forced GC (through each
// process's inspector; start the stack with inspect: true) and resident memory from /proc.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const WebSocket = createRequire(import.meta.url)('ws');

/**
 * The process's V8 heap in MiB right after a full garbage collection, through its inspector (loopback, port
 * chosen by Node). RSS alone can't tell garbage not yet collected from memory still held. Null if unavailable.
 */
export async function heapAfterGc(child, timeoutMs = 15_000) {
  const url = child.inspectorUrl;
  if (!url) return null;
  const socket = new WebSocket(url);
  let nextId = 0;
  const pending = new Map();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    pending.get(message.id)?.(message);
  });
  const send = (method) =>
    new Promise((resolveReply, reject) => {
      const id = ++nextId;
      pending.set(id, (message) => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolveReply(message.result)));
      socket.send(JSON.stringify({ id, method }));
    });
  let timer;
  try {
    return await Promise.race([
      (async () => {
        await new Promise((resolveOpen, reject) => {
          socket.once('open', resolveOpen);
          socket.once('error', reject);
        });
        await send('HeapProfiler.collectGarbage');
        const { usedSize } = await send('Runtime.getHeapUsage');
        return usedSize / 2 ** 20;
      })(),
      new Promise((resolveLate) => (timer = setTimeout(() => resolveLate(null), timeoutMs))),
    ]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    socket.terminate();
  }
}

/** Resident and peak resident memory of a process in MiB, from /proc (Linux), or null when unreadable. */
export function processMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}
