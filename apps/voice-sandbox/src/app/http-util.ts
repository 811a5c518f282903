import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_JSON_BYTES = 64 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * What a person sees on opening the sandbox's origin, which they do once to accept its self-signed
 * certificate (README): that it worked, and the way back to the softphone (an origin we configured).
 */
export function sendLandingPage(res: ServerResponse, softphoneOrigin: string | null): void {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const back = softphoneOrigin ? `<p>Go back to Switchboard: <a href="${escape(softphoneOrigin)}">${escape(softphoneOrigin)}</a></p>` : '';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Switchboard voice sandbox</title></head>`
    + `<body><main><h1>Switchboard voice sandbox</h1><p>The certificate is accepted: the softphone can now reach the sandbox `
    + `from this browser. You can close this tab.</p>${back}</main></body></html>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html), 'cache-control': 'no-store' });
  res.end(html);
}

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new HttpError(413, `Body larger than ${MAX_JSON_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'Body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'Body must be a JSON object');
  return parsed as Record<string, unknown>;
}

export function isLoopback(address: string | undefined): boolean {
  return !!address && (address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.'));
}
