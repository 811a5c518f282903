// The ceiling: a bare node:http server doing the same work per request as the API's two routes,
// without framework, sessions or database. Started by run.mjs in its own process.
import { createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { parse } from 'node:querystring';

const require = createRequire(import.meta.url);
const twilio = require('twilio');
const { SANDBOX } = JSON.parse(process.env.BENCH_SANDBOX);
const publicBaseUrl = process.env.BENCH_PUBLIC_BASE_URL;
const secret = createSecretKey(Buffer.from(SANDBOX.apiKeySecret));

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/token') {
      const token = new twilio.jwt.AccessToken(SANDBOX.accountSid, SANDBOX.apiKeySid, secret, { identity: 'alice', ttl: 3600 });
      token.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ outgoingApplicationSid: SANDBOX.twimlAppSid, incomingAllow: true }));
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ token: token.toJwt(), identity: 'alice' }));
    } else if (req.url === '/webhooks/voice/outgoing' || req.url === '/webhooks/voice/dial-complete') {
      const params = parse(Buffer.concat(chunks).toString());
      if (!twilio.validateRequest(SANDBOX.authToken, String(req.headers['x-twilio-signature'] ?? ''), `${publicBaseUrl}${req.url}`, params)) {
        res.writeHead(403).end();
        return;
      }
      const response = new twilio.twiml.VoiceResponse();
      if (req.url === '/webhooks/voice/outgoing') {
        response.dial({ answerOnBridge: true, timeout: 20, action: `${publicBaseUrl}/webhooks/voice/dial-complete` }).client(String(params.To).slice(7));
      } else {
        response.hangup();
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(response.toString());
    } else {
      res.writeHead(404).end();
    }
  });
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => server.close(() => process.exit(0)));
