import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export interface StandInRequest {
  readonly path: string;
  /** The full URL as requested (what the signature covers). */
  readonly url: string;
  readonly params: Record<string, string>;
  /** X-Twilio-Signature as received. */
  readonly signature: string;
  readonly signatureValid: boolean;
}

/** What the stand-in answers on a path: TwiML text, or undefined for an empty 204 (status callbacks). */
export type StandInRoute = (params: Record<string, string>) => string | undefined;

export const OUTGOING_PATH = '/webhooks/voice/outgoing';

/**
 * A stand-in for our API's webhooks (TwiML App voice URL, `<Dial action>`, `<Record action>`,
 * status callbacks…): checks X-Twilio-Signature of every request with the real `twilio` helper
 * (403 when wrong), records it, and answers from `routes` by path. The voice URL answers
 * `<Dial><Client>` to whatever client the test chose in `dialTo` unless a route replaces it.
 */
export async function startTwimlApp(authToken: string): Promise<{
  url: string;
  origin: string;
  requests: StandInRequest[];
  dialTo: { identity: string; timeout: number; parameters: Record<string, string> };
  routes: Map<string, StandInRoute>;
  /** Resolves with the first request (already received or still to come) that matches. */
  waitFor(what: string, match: (request: StandInRequest, index: number) => boolean): Promise<StandInRequest>;
  close(): Promise<void>;
}> {
  const requests: StandInRequest[] = [];
  const waiters = new Set<{ match: (request: StandInRequest, index: number) => boolean; resolve: (request: StandInRequest) => void }>();
  const state = {
    url: '',
    origin: '',
    requests,
    dialTo: { identity: 'bob', timeout: 30, parameters: {} as Record<string, string> },
    routes: new Map<string, StandInRoute>(),
    waitFor: (what: string, match: (request: StandInRequest, index: number) => boolean): Promise<StandInRequest> => {
      const found = requests.find((request, index) => match(request, index));
      if (found) return Promise.resolve(found);
      return new Promise<StandInRequest>((resolve, reject) => {
        const waiter = { match, resolve: (request: StandInRequest) => (clearTimeout(timer), resolve(request)) };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`Timed out waiting for ${what}; got ${JSON.stringify(requests.map((r) => r.path))}`));
        }, 20_000);
        waiters.add(waiter);
      });
    },
    close: async () => undefined as void,
  };
  const dialTwiml = (): string => {
    const parameters = Object.entries(state.dialTo.parameters)
      .map(([name, value]) => `<Parameter name="${name}" value="${value}"/>`)
      .join('');
    return (
      `<?xml version="1.0" encoding="UTF-8"?><Response><Dial answerOnBridge="true" timeout="${state.dialTo.timeout}">` +
      `<Client><Identity>${state.dialTo.identity}</Identity>${parameters}</Client></Dial></Response>`
    );
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = `${state.origin}${req.url ?? '/'}`;
      const path = new URL(url).pathname;
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const signature = String(req.headers['x-twilio-signature'] ?? '');
      const signatureValid = twilio.validateRequest(authToken, signature, url, params);
      const request: StandInRequest = { path, url, params, signature, signatureValid };
      requests.push(request);
      for (const waiter of [...waiters]) {
        if (waiter.match(request, requests.length - 1)) {
          waiters.delete(waiter);
          waiter.resolve(request);
        }
      }
      if (!signatureValid) {
        res.writeHead(403).end();
        return;
      }
      const route = state.routes.get(path) ?? (path === OUTGOING_PATH ? dialTwiml : undefined);
      const twiml = route?.(params);
      if (twiml === undefined) {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(twiml.startsWith('<?xml') ? twiml : `<?xml version="1.0" encoding="UTF-8"?><Response>${twiml}</Response>`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.url = `${state.origin}${OUTGOING_PATH}`;
  state.close = () => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
  return state;
}
