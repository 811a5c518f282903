import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

/**
 * A stand-in for our API's TwiML App voice URL: checks X-Twilio-Signature with the real `twilio`
 * helper and answers `<Dial><Client>` to whatever client the test chose.
 */
export async function startTwimlApp(authToken: string): Promise<{
  url: string;
  requests: { params: Record<string, string>; signatureValid: boolean }[];
  dialTo: { identity: string; timeout: number; parameters: Record<string, string> };
  close(): Promise<void>;
}> {
  const requests: { params: Record<string, string>; signatureValid: boolean }[] = [];
  const state = {
    url: '',
    requests,
    dialTo: { identity: 'bob', timeout: 30, parameters: {} as Record<string, string> },
    close: async () => undefined as void,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const signature = String(req.headers['x-twilio-signature'] ?? '');
      const signatureValid = twilio.validateRequest(authToken, signature, state.url, params);
      requests.push({ params, signatureValid });
      if (!signatureValid) {
        res.writeHead(403).end();
        return;
      }
      const parameters = Object.entries(state.dialTo.parameters)
        .map(([name, value]) => `<Parameter name="${name}" value="${value}"/>`)
        .join('');
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Response><Dial answerOnBridge="true" timeout="${state.dialTo.timeout}">` +
          `<Client><Identity>${state.dialTo.identity}</Identity>${parameters}</Client></Dial></Response>`,
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/voice/outgoing`;
  state.close = () => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
  return state;
}
