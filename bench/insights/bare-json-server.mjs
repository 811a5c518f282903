// The Insights bench's bare ceiling: a node:http server answering a constant JSON body (the API's own
// report, sent by the parent over IPC) to every GET: what HTTP and the body's size cost with no database,
// no session check and no framework.
import { createServer } from 'node:http';

let body = Buffer.from('{}');
process.on('message', (message) => {
  if (message && typeof message.body === 'string') {
    body = Buffer.from(message.body);
    process.send?.({ ready: true });
  }
});
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => server.close(() => process.exit(0)));
