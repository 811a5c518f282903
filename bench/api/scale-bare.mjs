// The ceiling for scale.mjs: a bare node:http server answering the same four routes with the same per-request
// work the API cannot skip (token signing, webhook signature checks, TwiML, a JSON body), keeping presence in a
// Map, with no framework, sessions or database. Started by scale.mjs in its own process; sends its port over IPC.
import { createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { parse } from 'node:querystring';

const require = createRequire(import.meta.url);
const twilio = require('twilio');
const { SANDBOX } = JSON.parse(process.env.BENCH_SANDBOX);
const publicBaseUrl = process.env.BENCH_PUBLIC_BASE_URL;
const secret = createSecretKey(Buffer.from(SANDBOX.apiKeySecret));
const presence = new Map();

const signed = (req, params) => twilio.validateRequest(SANDBOX.authToken, String(req.headers['x-twilio-signature'] ?? ''), `${publicBaseUrl}${req.url}`, params);

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    const identity = String(req.headers['x-bench-agent'] ?? 'alice');
    if (req.method === 'POST' && req.url === '/api/voice/token') {
      const token = new twilio.jwt.AccessToken(SANDBOX.accountSid, SANDBOX.apiKeySid, secret, { identity, ttl: 3600 });
      token.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ outgoingApplicationSid: SANDBOX.twimlAppSid, incomingAllow: true }));
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ token: token.toJwt(), identity }));
    } else if (req.method === 'PUT' && req.url === '/api/presence') {
      const report = JSON.parse(body);
      presence.set(`${identity}:${report.tabId}`, { ...report, at: Date.now() });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ reachable: report.device === 'registered' }));
    } else if (req.method === 'POST' && (req.url === '/webhooks/voice/outgoing' || req.url === '/webhooks/voice/status')) {
      const params = parse(body);
      if (!signed(req, params)) {
        res.writeHead(403).end();
      } else if (req.url === '/webhooks/voice/status') {
        res.writeHead(204).end();
      } else {
        const response = new twilio.twiml.VoiceResponse();
        response.dial({ answerOnBridge: true, timeout: 20, action: `${publicBaseUrl}/webhooks/voice/dial-complete` }).client(String(params.To).slice(7));
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(response.toString());
      }
    } else {
      res.writeHead(404).end();
    }
  });
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => server.close(() => process.exit(0)));
