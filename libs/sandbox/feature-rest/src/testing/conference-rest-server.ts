import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import {
  FakeClock, FakeSpeech, FakeTelephonyCore, FakeWebhooks, LiveCallRegistry, MemoryLogger, MemoryRecordingStore,
  StatusCallbackSender,
} from '@switchboard/sandbox-twiml-engine';
import { createSandboxRestHandler } from '../lib/rest-handler';
import { FakeConferenceControl } from './fake-conference-control';

export const AC = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
export const TOKEN = '8c514220389604b8a422ec618db0f784';
export const OTHER_AC = 'AC00000000000000000000000000000001';
export const OTHER_TOKEN = '00000000000000000000000000000001';

/**
 * The whole REST handler (so the wiring is under test too) on a real HTTP server, with a fake
 * ConferenceControl, and real twilio clients for two accounts pointed at it.
 */
export async function startConferenceRestServer(options: { withConferences: boolean } = { withConferences: true }) {
  const clock = new FakeClock(Date.UTC(2026, 11, 6, 5, 0, 0));
  const control = new FakeConferenceControl(() => clock.now());
  const log = new MemoryLogger();
  const webhooks = new FakeWebhooks();
  const core = new FakeTelephonyCore();
  const engine = {
    core, webhooks, clock, speech: new FakeSpeech(), audio: { fetch: jest.fn() }, recordings: new MemoryRecordingStore(), log,
    liveCalls: new LiveCallRegistry(), publicOrigin: 'https://127.0.0.1:8443',
  };
  const handle = createSandboxRestHandler({
    config: {
      accounts: [
        { accountSid: AC, authToken: TOKEN, apiKeys: [] },
        { accountSid: OTHER_AC, authToken: OTHER_TOKEN, apiKeys: [] },
      ],
      publicOrigin: 'https://127.0.0.1:8443',
    },
    core,
    engine,
    statusCallbacks: new StatusCallbackSender({ webhooks, log }),
    conferences: options.withConferences ? control : undefined,
  });
  const server: Server = createServer(async (req, res) => {
    if (await handle(req, res)) return;
    // What the sandbox app answers for a path no handler serves.
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('No route');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientFor = (accountSid: string, token: string) => {
    const client = twilio(accountSid, token);
    client.api.baseUrl = origin;
    return client;
  };
  return {
    clock,
    control,
    log,
    origin,
    client: clientFor(AC, TOKEN),
    otherClient: clientFor(OTHER_AC, OTHER_TOKEN),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A rejected client call as its status and Twilio code (0, 0 when it did not fail). */
export function failure(promise: Promise<unknown>): Promise<{ status: number; code: number }> {
  return promise.then(
    () => ({ status: 0, code: 0 }),
    (error: { status: number; code: number }) => ({ status: error.status, code: error.code }),
  );
}
