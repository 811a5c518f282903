#!/usr/bin/env node
// `npm run call:support`: a simulated customer calls the support line through the running voice sandbox.
// Optional arguments: --from +14155550150 --to +14155550100 --hold 30 (seconds before the caller hangs up).
import { request } from 'node:https';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    from: { type: 'string', default: '+14155550150' },
    to: { type: 'string', default: '+14155550100' },
    hold: { type: 'string', default: '60' },
  },
});
const hold = Number(values.hold);
if (!Number.isInteger(hold) || hold < 1 || hold > 600) {
  console.error('--hold must be a whole number of seconds from 1 to 600');
  process.exit(2);
}
const port = Number(process.env.SANDBOX_PORT ?? 8443);
// The caller says hello (a tone stands in for a voice); if nobody answers within the ring time (20 s by default)
// plus the greeting, the second "sentence" lands in the voicemail. Then it waits and hangs up.
const body = JSON.stringify({
  from: values.from,
  to: values.to,
  script: [
    { wait: 1 },
    { tone: { hz: 440, seconds: 2 } },
    { wait: 30 },
    { tone: { hz: 523, seconds: 4 } },
    { wait: hold },
    { hangup: true },
  ],
});

const req = request(
  { host: '127.0.0.1', port, path: '/sandbox/inbound', method: 'POST', rejectUnauthorized: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
  (res) => {
    let text = '';
    res.on('data', (chunk) => (text += chunk));
    res.on('end', () => {
      if ((res.statusCode ?? 500) >= 300) {
        console.error(`The sandbox refused the call (${res.statusCode}): ${text}`);
        process.exit(1);
      }
      console.log(`Calling ${values.to} from ${values.from}: ${text}`);
    });
  },
);
req.on('error', (error) => {
  console.error(`Could not reach the voice sandbox on port ${port} (${error.message}). Is npm start running?`);
  process.exit(1);
});
req.end(body);
