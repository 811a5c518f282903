import { IncomingMessage, ServerResponse } from 'node:http';
import {
  CallerScriptError,
  InboundCall,
  isLoopbackHost,
  parseCallerScript,
  SandboxNumber,
  startInboundCall,
  TwimlEngineDeps,
  UnknownNumberError,
} from '@switchboard/sandbox-twiml-engine';
import { RestError, sendError, sendJson } from './rest-errors';

export const SANDBOX_INBOUND_PATH = '/sandbox/inbound';

export interface InboundRouteOptions {
  readonly engine: TwimlEngineDeps;
  readonly numbers: (phoneNumber: string) => SandboxNumber | undefined;
  /** Told about every call started, e.g. to keep it for `/sandbox/calls` or a test. */
  readonly onCall?: (call: InboundCall) => void;
}

/**
 * POST /sandbox/inbound `{from, to, script}` (JSON) → 201 `{callSid}`: a simulated PSTN call to
 * one of the sandbox's numbers. An admin hook: only loopback clients may use it.
 */
export function createInboundRouteHandler(options: InboundRouteOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    if ((req.url ?? '').split('?')[0] !== SANDBOX_INBOUND_PATH) return false;
    try {
      if (req.method !== 'POST') throw new RestError(405, 20004, 'Method not allowed');
      const remote = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      if (!isLoopbackHost(remote)) throw new RestError(403, 20403, 'The sandbox admin hooks answer loopback clients only.');
      const body = await readJson(req);
      const from = typeof body['from'] === 'string' ? body['from'].trim() : '';
      const to = typeof body['to'] === 'string' ? body['to'].trim() : '';
      if (!/^(\+?\d{3,15}|client:[^\s]{1,256})$/.test(from)) throw new RestError(400, 21212, `"from" must be a phone number, got ${JSON.stringify(body['from'])}`);
      if (!/^\+?\d{3,15}$/.test(to)) throw new RestError(400, 21211, `"to" must be a phone number, got ${JSON.stringify(body['to'])}`);
      const script = parseCallerScript(body['script']);
      const call = startInboundCall({ from, to, script }, { ...options.engine, numbers: options.numbers });
      void call.done.catch(() => undefined);
      options.onCall?.(call);
      sendJson(res, 201, { callSid: call.callSid });
    } catch (error) {
      if (error instanceof RestError) sendError(res, error);
      else if (error instanceof CallerScriptError) sendError(res, new RestError(400, 20001, error.message));
      else if (error instanceof UnknownNumberError) sendError(res, new RestError(404, 20404, error.message));
      else sendError(res, new RestError(500, 20500, 'Internal Server Error'));
    }
    return true;
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new RestError(413, 20001, 'Request body too large.');
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new RestError(400, 20001, 'The body must be a JSON object {from, to, script}.');
  }
}
