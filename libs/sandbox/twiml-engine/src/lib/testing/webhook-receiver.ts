import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  /** Full URL as requested, e.g. http://127.0.0.1:PORT/path?query. */
  readonly url: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  /** Decoded form body (POST) or query (GET). */
  readonly params: Record<string, string>;
}

type Handler = (request: ReceivedRequest, res: ServerResponse) => void;

/** A real node:http server on 127.0.0.1:0 that records requests and answers per path. */
export class WebhookReceiver {
  readonly received: ReceivedRequest[] = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private server: Server | undefined;
  origin = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.onRequest(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  on(path: string, handler: Handler): this {
    this.handlers.set(path, handler);
    return this;
  }

  twiml(path: string, xml: string): this {
    return this.on(path, (_request, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(xml);
    });
  }

  /** Resolves once `count` requests have arrived in total. */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = `${this.origin}${req.url ?? '/'}`;
      const parsed = new URL(url);
      const body = Buffer.concat(chunks).toString('utf8');
      const params = Object.fromEntries(new URLSearchParams(req.method === 'GET' ? parsed.search : body));
      const request: ReceivedRequest = { method: req.method ?? '', url, path: parsed.pathname, headers: req.headers, params };
      this.received.push(request);
      for (const waiter of [...this.waiters]) {
        if (this.received.length >= waiter.count) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      const handler = this.handlers.get(parsed.pathname);
      if (handler) handler(request, res);
      else {
        res.writeHead(204);
        res.end();
      }
    });
  }
}
