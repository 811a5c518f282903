// The ceiling of the floor bench: what node:http and Redis pub/sub alone cost for the same fan-out, with no
// framework, sessions, database or replay buffer. Forked by run.mjs (two of them, as the API runs two
// instances). GET /events?identity=…&role=agent|supervisor opens a stream; every message on the channel
// (JSON `{ event, identity }`) is written to that identity's streams and to every supervisor's.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Redis } = require('ioredis');
const { BENCH_REDIS_URL: redisUrl, BENCH_CHANNEL: channel } = process.env;

const agents = new Map(); // identity → Set of responses
const supervisors = new Set();

const server = createServer((request, response) => {
  const url = new URL(request.url, 'http://bare');
  const identity = url.searchParams.get('identity');
  if (url.pathname !== '/events' || !identity) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform' });
  response.socket.setNoDelay(true);
  response.write(`retry: 3000\n\ndata: ${JSON.stringify({ id: 'bare-hello', type: 'session.hello', at: new Date().toISOString(), data: { identity } })}\n\n`);
  const group = url.searchParams.get('role') === 'supervisor' ? supervisors : (agents.get(identity) ?? agents.set(identity, new Set()).get(identity));
  group.add(response);
  response.once('close', () => group.delete(response));
});

const subscriber = new Redis(redisUrl);
subscriber.on('message', (_channel, text) => {
  const { event, identity } = JSON.parse(text);
  const frame = `id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`;
  for (const response of agents.get(identity) ?? []) response.write(frame);
  for (const response of supervisors) response.write(frame);
});
await subscriber.subscribe(channel);
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => { subscriber.disconnect(); server.closeAllConnections(); server.close(() => process.exit(0)); });
