import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { TelephonyError } from '@switchboard/api-data-access-telephony';
import { TwilioRecordingRemover } from './twilio-recording-remover';

const recording = (n: number) => `RE${n.toString(16).padStart(32, '0')}`;

/** A local HTTP server standing in for the REST API: answers each recording as told, remembers requests. */
describe('TwilioRecordingRemover', () => {
  const requests: Array<{ method: string; url: string; authorization: string }> = [];
  const answers = new Map<string, number>([[recording(1), 204], [recording(2), 404], [recording(3), 500]]);
  let server: Server;
  let remover: TwilioRecordingRemover;
  let accountSid: string;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization ?? '' });
      const sid = /Recordings\/(RE[0-9a-f]{32})\.json$/.exec(req.url ?? '')?.[1] ?? '';
      const status = answers.get(sid) ?? 404;
      res.writeHead(status, status === 204 ? {} : { 'content-type': 'application/json' });
      res.end(status === 204 ? undefined : JSON.stringify({ code: status === 404 ? 20404 : 20500, message: 'x', status }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const config = loadAppConfig({ SWITCHBOARD_MODE: 'sandbox', TWILIO_API_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    accountSid = config.twilio.accountSid;
    remover = new TwilioRecordingRemover(config);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => { requests.length = 0; });

  it('sends DELETE Recordings/{sid}.json on the configured REST base with the account credentials', async () => {
    expect(await remover.remove(recording(1))).toBe('deleted');
    expect(requests).toEqual([{
      method: 'DELETE',
      url: `/2010-04-01/Accounts/${accountSid}/Recordings/${recording(1)}.json`,
      authorization: expect.stringMatching(/^Basic /),
    }]);
  });

  it('treats 404 as already gone, so purging twice (or on two instances) succeeds', async () => {
    expect(await remover.remove(recording(2))).toBe('already-gone');
  });

  it('fails with a TelephonyError carrying the status when the provider cannot delete', async () => {
    const failure = await remover.remove(recording(3)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TelephonyError);
    expect((failure as TelephonyError).status).toBe(500);
  });
});
