import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { startRoundRobinProxy, type RoundRobinProxy } from './support/round-robin-proxy';

/** The test proxy of the multi-instance specs, against two bare upstreams that say who they are. */
describe('round-robin proxy (support for the multi-instance specs)', () => {
  interface Upstream { server: Server; url: string; sockets: Set<Socket>; streams: ServerResponse[] }
  let upstreams: Upstream[];
  let proxy: RoundRobinProxy;

  const startUpstream = async (name: string): Promise<Upstream> => {
    const upstream = { sockets: new Set<Socket>(), streams: [] as ServerResponse[] } as Upstream;
    upstream.server = createServer((req, res) => {
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${name}\n\n`);
        upstream.streams.push(res);
        return;
      }
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => res.end(JSON.stringify({ name, method: req.method, body })));
    });
    upstream.server.on('connection', (socket: Socket) => upstream.sockets.add(socket));
    await new Promise<void>((resolveListen) => upstream.server.listen(0, '127.0.0.1', resolveListen));
    upstream.url = `http://127.0.0.1:${(upstream.server.address() as { port: number }).port}`;
    return upstream;
  };
  /** One request on `agent` (a new connection each time when absent). */
  const send = (path: string, { agent, method = 'GET', body }: { agent?: Agent; method?: string; body?: string } = {}) =>
    new Promise<{ status: number; text: string }>((resolveAnswer, reject) => {
      const req = request(`${proxy.url}${path}`, { method, agent: agent ?? false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolveAnswer({ status: res.statusCode ?? 0, text }));
      });
      req.once('error', reject);
      req.end(body);
    });
  const nameOf = async (answer: Promise<{ text: string }>) => (JSON.parse((await answer).text) as { name: string }).name;
  /** Opens a stream and resolves with its response once the first chunk arrived (never buffered to the end). */
  const openStream = () => new Promise<{ response: IncomingMessage; first: string }>((resolveOpen, reject) => {
    request(`${proxy.url}/stream`, { agent: false }, (response) => {
      response.setEncoding('utf8').once('data', (first: string) => resolveOpen({ response, first }));
    }).once('error', reject).end();
  });

  beforeEach(async () => {
    upstreams = [await startUpstream('a'), await startUpstream('b')];
    proxy = await startRoundRobinProxy(upstreams.map((u) => u.url));
  });
  afterEach(async () => {
    await proxy.close();
    for (const upstream of upstreams) {
      upstream.sockets.forEach((socket) => socket.destroy());
      await new Promise((resolveClose) => upstream.server.close(resolveClose));
    }
  });

  it('sends each new connection to the next upstream, and keeps a connection on its upstream', async () => {
    expect([await nameOf(send('/')), await nameOf(send('/')), await nameOf(send('/'))]).toEqual(['a', 'b', 'a']);
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const names = [];
      for (let i = 0; i < 3; i++) names.push(await nameOf(send('/', { agent: keepAlive })));
      expect(names).toEqual(['b', 'b', 'b']);
    } finally {
      keepAlive.destroy();
    }
  });

  it('streams a response as it comes, and ends the client stream when its upstream dies', async () => {
    const { response, first } = await openStream();
    expect(first).toBe('data: a\n\n');
    const ended = new Promise((resolveEnd) => response.once('close', resolveEnd));
    upstreams[0].sockets.forEach((socket) => socket.destroy());
    await ended;
  });

  it('skips an upstream that refuses connections, resending the whole request to the next', async () => {
    upstreams[0].sockets.forEach((socket) => socket.destroy());
    await new Promise((resolveClose) => upstreams[0].server.close(resolveClose));
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(JSON.parse((await send('/', { method: 'PUT', body: `{"n":${i}}` })).text));
    expect(answers).toEqual([0, 1, 2].map((n) => ({ name: 'b', method: 'PUT', body: `{"n":${n}}` })));
  });

  it('answers 502 when no upstream is live', async () => {
    for (const upstream of upstreams) {
      upstream.sockets.forEach((socket) => socket.destroy());
      await new Promise((resolveClose) => upstream.server.close(resolveClose));
    }
    const answer = await send('/');
    expect(answer.status).toBe(502);
    expect(answer.text).toMatch(/^proxy: http:\/\/127\.0\.0\.1:\d+ ECONNREFUSED$/);
  });
});
