import type { IncomingMessage } from 'node:http';
import { RestError } from './rest-errors';

const MAX_BODY_BYTES = 64 * 1024;

/** A form-encoded request body (what the `twilio` client sends), capped at 64 KiB. */
export async function readRestForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '');
  if (type && !type.startsWith('application/x-www-form-urlencoded')) {
    throw new RestError(400, 20001, 'The body must be application/x-www-form-urlencoded.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RestError(413, 20001, 'Request body too large.');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** One parameter, trimmed; undefined when absent. */
export function formValue(form: URLSearchParams, name: string): string | undefined {
  const value = form.get(name);
  return value === null ? undefined : value.trim();
}
