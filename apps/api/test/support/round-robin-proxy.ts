import { createServer, request as upstreamRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A load balancer for multi-instance specs: a node:http server that sends each new client connection to
 * the next upstream in turn, keeps that connection's later requests on the same upstream (as an L4 or
 * sticky L7 balancer does), streams responses as they come (an SSE stream is never buffered), and skips
 * an upstream that refuses connections (a killed instance), so the client's reconnect lands on a live one.
 *
 * Hand-written rather than a library: the workspace declares no proxy dependency (http-proxy is in
 * node_modules only as webpack-dev-server's transitive one, so it may go with any upgrade), and the
 * behaviour the spec depends on, connection-level round robin and retrying only a refused connect, is a
 * few dozen lines here, where a general proxy would need them written around it anyway.
 */
export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>`: give it to clients instead of an instance's url. */
  readonly url: string;
  /** The upstream url each request went to, in order (for failure messages and assertions). */
  readonly routed: readonly string[];
  close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1): each side of the proxy sets its own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** Listens on a free loopback port in front of `upstreams` (instance urls such as `http://127.0.0.1:4001`). */
export async function startRoundRobinProxy(upstreams: readonly string[]): Promise<RoundRobinProxy> {
  if (upstreams.length === 0) throw new Error('a proxy needs at least one upstream');
  const targets = upstreams.map((upstream) => new URL(upstream));
  const routed: string[] = [];
  /** The upstream each client connection was given (by index), until that upstream refuses. */
  const stickTo = new WeakMap<Socket, number>();
  const clients = new Set<Socket>();
  let nextConnection = 0;

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer, index: number, attemptsLeft: number): void => {
    const target = targets[index];
    const proxied = upstreamRequest({
      host: target.hostname, port: target.port, method: incoming.method, path: incoming.url,
      // One upstream connection per request (no pool): a killed upstream leaves no idle socket to reuse.
      headers: endToEnd(incoming.headers), agent: false,
    });
    proxied.once('response', (answer) => {
      routed.push(target.origin);
      outgoing.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
      // SSE: each chunk is written as it arrives; node:http sends every write at once (chunked encoding).
      outgoing.flushHeaders();
      answer.pipe(outgoing);
      // The upstream died mid-response (SIGKILL): end the client's connection too, so it sees the stream
      // end and reconnects, as it would behind a real balancer.
      answer.once('aborted', () => outgoing.destroy());
      answer.once('error', () => outgoing.destroy());
    });
    proxied.once('error', (error: NodeJS.ErrnoException) => {
      // Refused: nothing reached the upstream, so any request may go to the next one. Anything later (a
      // reset mid-request) may have been acted on, and is the client's to retry.
      if (error.code === 'ECONNREFUSED' && attemptsLeft > 1) {
        const next = (index + 1) % targets.length;
        stickTo.set(incoming.socket, next);
        forward(incoming, outgoing, body, next, attemptsLeft - 1);
      } else if (!outgoing.headersSent) {
        outgoing.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${target.origin} ${error.code ?? error.message}`);
      } else {
        outgoing.destroy();
      }
    });
    // The client went away (closed its EventSource): so does the upstream request, which ends the stream there.
    outgoing.once('close', () => proxied.destroy());
    proxied.end(body);
  };

  const server: Server = createServer((incoming, outgoing) => {
    // Bodies are small in these specs; read whole, a request can be sent again to the next upstream.
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => {
      let index = stickTo.get(incoming.socket);
      if (index === undefined) {
        index = nextConnection;
        nextConnection = (nextConnection + 1) % targets.length;
        stickTo.set(incoming.socket, index);
      }
      forward(incoming, outgoing, Buffer.concat(chunks), index, targets.length);
    });
  });
  server.on('connection', (socket: Socket) => {
    clients.add(socket);
    socket.setNoDelay(true);
    socket.once('close', () => clients.delete(socket));
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    routed,
    close: () => new Promise<void>((resolveClose) => {
      for (const socket of clients) socket.destroy();
      server.close(() => resolveClose());
    }),
  };
}
