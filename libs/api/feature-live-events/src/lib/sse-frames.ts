import type { LiveEvent } from '@switchboard/shared-contracts';

/**
 * Server-Sent Events framing (WHATWG HTML, "server-sent events"). JSON.stringify never emits a raw
 * newline, so `data:` is always one line; an `id:` with a newline or NUL would be ignored by the
 * browser, and the ids we make never contain one.
 */
export function eventFrame(event: LiveEvent, streamId: string | null): string {
  return `${streamId === null ? '' : `id: ${streamId}\n`}data: ${JSON.stringify(event)}\n\n`;
}

/** How long the browser waits before its own reconnection. */
export function retryFrame(milliseconds: number): string {
  return `retry: ${Math.max(0, Math.round(milliseconds))}\n\n`;
}

/** A comment line: keeps proxies and the socket from seeing an idle connection; EventSource ignores it. */
export const PING_FRAME = ': ping\n\n';
