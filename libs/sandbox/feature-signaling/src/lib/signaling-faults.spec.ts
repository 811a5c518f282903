import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { WebSocket } from 'ws';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import { CallCore, type MediaEngine, type PartyNetwork, type SdpEndpoint } from '@switchboard/sandbox-data-access-calls';
import { systemClock } from '@switchboard/sandbox-model';
import type { OutgoingCallRequest } from './sdk-caller-legs';
import { MAX_FRAME_BYTES } from './pstream-transport';
import { SignalingServer, createSdkPeers } from './signaling-server';

function token(identity: string): string {
  const { AccessToken } = twilio.jwt;
  const t = new AccessToken(SANDBOX_CREDENTIALS.accountSid, SANDBOX_CREDENTIALS.apiKeySid, SANDBOX_CREDENTIALS.apiKeySecret, { identity, ttl: 600 });
  t.addGrant(new AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: SANDBOX_CREDENTIALS.twimlAppSid }));
  return t.toJwt();
}

/** A PStream client as the SDK speaks it: JSON messages and bare "\n" heartbeats. */
class TestClient {
  readonly messages: { type: string; payload: Record<string, unknown> }[] = [];
  readonly heartbeats: number[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = String(data);
      if (text === '\n') this.heartbeats.push(Date.now());
      else this.messages.push(JSON.parse(text) as { type: string; payload: Record<string, unknown> });
      this.waiters.forEach((w) => w());
    });
  }

  static open(url: string): Promise<TestClient> {
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new TestClient(socket)));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  send(type: string, payload: Record<string, unknown>): void {
    this.socket.send(JSON.stringify({ type, version: '1.6', payload }));
  }

  /** Resolves once `probe` holds (checked on every message). */
  until<T>(probe: () => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      const check = (): void => {
        const value = probe();
        if (value === undefined) return;
        this.waiters.delete(check);
        resolve(value);
      };
      this.waiters.add(check);
      check();
    });
  }

  async register(identity: string): Promise<void> {
    this.send('listen', { token: token(identity), browserinfo: {}, reconnectTimeout: 0 });
    await this.until(() => this.messages.find((m) => m.type === 'connected'));
    this.send('register', { media: { audio: true } });
    await this.until(() => this.messages.find((m) => m.type === 'ready'));
  }

  close(): void {
    this.socket.terminate();
  }
}

const noMedia: MediaEngine = {
  createEndpoint: () => {
    throw new Error('no media in these tests');
  },
};
const noPhones: PartyNetwork = {
  ring: () => {
    throw new Error('no phones in these tests');
  },
};

describe('SignalingServer fault hooks (real WebSockets)', () => {
  let server: Server;
  let signaling: SignalingServer;
  let url = '';
  const clients: TestClient[] = [];

  async function client(identity: string): Promise<TestClient> {
    const c = await TestClient.open(url);
    clients.push(c);
    await c.register(identity);
    return c;
  }

  beforeEach(async () => {
    const peers = createSdkPeers({ media: noMedia, clock: systemClock, log: () => undefined });
    const core = new CallCore({ clients: peers.network, phones: noPhones, clock: systemClock });
    signaling = new SignalingServer({
      peers,
      core,
      clock: systemClock,
      apiKeys: [{ sid: SANDBOX_CREDENTIALS.apiKeySid, secret: SANDBOX_CREDENTIALS.apiKeySecret, accountSid: SANDBOX_CREDENTIALS.accountSid }],
      applicationExists: () => true,
      onOutgoingCall: () => undefined,
      log: () => undefined,
      heartbeatMs: 25,
    });
    server = createServer();
    server.on('upgrade', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/signal`;
  });

  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    signaling.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('closes a socket that sends a frame over MAX_FRAME_BYTES with 1009; other sessions and new connections go on', async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    const closed = new Promise<number>((resolve) => alice.socket.once('close', (code) => resolve(code)));
    const content = 'x'.repeat(MAX_FRAME_BYTES);
    alice.send('message', { callsid: 'CA-none', content, voiceeventsid: 'big' });
    expect(await closed).toBe(1009);
    bob.send('message', { callsid: 'CA-none', content: '{}', voiceeventsid: 'small' });
    await bob.until(() => bob.messages.find((m) => m.payload['voiceeventsid'] === 'small'));
    const carol = await client('carol');
    carol.send('message', { callsid: 'CA-none', content: 'y'.repeat(MAX_FRAME_BYTES - 1000), voiceeventsid: 'fits' });
    await carol.until(() => carol.messages.find((m) => m.payload['voiceeventsid'] === 'fits'));
    expect(signaling.registrations()).toEqual({ bob: 1, carol: 1 });
  });

  it('stop-heartbeats silences one identity\'s heartbeats for N seconds while others keep theirs', async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    await alice.until(() => alice.heartbeats[0]);
    // Read before the call: the server's own "now" is then never earlier than stoppedAt.
    const stoppedAt = Date.now();
    expect(signaling.stopHeartbeats('alice', 0.3)).toBe(1);
    // A round trip (the message names no call, so the answer is an `error` for it) flushes any heartbeat already on its way before the stop.
    alice.send('message', { callsid: 'CA-none', content: '{}', voiceeventsid: 'flush' });
    await alice.until(() => alice.messages.find((m) => m.payload['voiceeventsid'] === 'flush'));
    const aliceBefore = alice.heartbeats.length;
    const bobBefore = bob.heartbeats.length;
    const resumedAt = await alice.until(() => alice.heartbeats[aliceBefore]);
    expect(resumedAt).toBeGreaterThanOrEqual(stoppedAt + 300);
    // Bob was not affected: his heartbeats kept coming during alice's silence.
    expect(bob.heartbeats.filter((at) => at < resumedAt).length).toBeGreaterThan(bobBefore + 1);
    expect(signaling.stopHeartbeats('nobody', 1)).toBe(0);
  });

  it('refuse-connections answers new WebSockets 503 for N seconds; open ones stay; afterwards connections work', async () => {
    const alice = await client('alice');
    const refusedAt = Date.now();
    signaling.refuseConnections(0.3);
    await expect(TestClient.open(url)).rejects.toThrow('HTTP 503');
    const heartbeats = alice.heartbeats.length;
    await alice.until(() => alice.heartbeats[heartbeats]); // the open socket is untouched
    let opened: TestClient | undefined;
    while (!opened) {
      opened = await TestClient.open(url).catch(() => undefined);
      if (!opened) await new Promise((r) => setTimeout(r, 50));
    }
    clients.push(opened);
    expect(Date.now()).toBeGreaterThanOrEqual(refusedAt + 300);
    await opened.register('carol');
    expect(signaling.registrations()).toEqual({ alice: 1, carol: 1 });
  });

  it('expire-token sends 31205 and unregisters the identity, leaving others registered', async () => {
    const alice = await client('alice');
    await client('bob');
    expect(signaling.expireToken('alice')).toBe(1);
    const error = await alice.until(() => alice.messages.find((m) => m.type === 'error'));
    expect(error.payload).toEqual({ error: { code: 31205, message: 'Access token expired' } });
    expect(signaling.registrations()).toEqual({ bob: 1 });
  });
});

/** Just enough of an SDP endpoint for signaling: no RTP flows in these tests. */
function fakeEndpoint(): SdpEndpoint {
  return {
    answer: async () => 'v=0\r\n',
    offer: async () => 'v=0\r\n',
    acceptAnswer: async () => undefined,
    receiveSignaledDigits: () => undefined,
    stall: () => undefined,
    lose: () => undefined,
    onClosed: () => undefined,
    onFrame: () => () => undefined,
    onDigit: () => () => undefined,
    setSource: () => undefined,
    close: () => undefined,
  } as unknown as SdpEndpoint;
}

describe('SignalingServer: how an SDK caller hears the end of its call (real WebSockets)', () => {
  let server: Server;
  let signaling: SignalingServer;
  let url = '';
  const clients: TestClient[] = [];
  const outgoing: OutgoingCallRequest[] = [];

  beforeEach(async () => {
    const media = { createEndpoint: fakeEndpoint };
    const peers = createSdkPeers({ media, clock: systemClock, log: () => undefined });
    const core = new CallCore({ clients: peers.network, phones: noPhones, clock: systemClock });
    signaling = new SignalingServer({
      peers,
      core,
      clock: systemClock,
      apiKeys: [{ sid: SANDBOX_CREDENTIALS.apiKeySid, secret: SANDBOX_CREDENTIALS.apiKeySecret, accountSid: SANDBOX_CREDENTIALS.accountSid }],
      applicationExists: () => true,
      onOutgoingCall: (request) => outgoing.push(request),
      log: () => undefined,
    });
    server = createServer();
    server.on('upgrade', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/signal`;
  });

  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    outgoing.length = 0;
    signaling.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  /** alice's SDK places a call; resolves with her leg (as the TwiML engine gets it) and her client. */
  async function aliceCalls(): Promise<{ alice: TestClient; leg: OutgoingCallRequest['leg']; callSid: string }> {
    const alice = await TestClient.open(url);
    clients.push(alice);
    await alice.register('alice');
    alice.send('invite', { callsid: 'TJSxalice1', sdp: 'v=0\r\n', twilio: { params: 'To=client%3Abob' } });
    const ringing = await alice.until(() => alice.messages.find((m) => m.type === 'ringing'));
    const request = await alice.until(() => outgoing[0]);
    return { alice, leg: request.leg, callSid: String(ringing.payload['callsid']) };
  }

  const hangupOf = (client: TestClient) => client.until(() => client.messages.find((m) => m.type === 'hangup'));

  it.each([
    ['rejected', { code: 31603, message: 'Decline' }],
    ['busy', { code: 31486, message: 'Busy Here' }],
  ] as const)('<Reject reason="%s"> before answer: hangup carries error %j', async (reason, error) => {
    const { alice, leg, callSid } = await aliceCalls();
    leg.hangup(reason);
    expect((await hangupOf(alice)).payload).toEqual({ callsid: callSid, error });
  });

  it('a plain hangup before answer carries no error', async () => {
    const { alice, leg, callSid } = await aliceCalls();
    leg.hangup();
    expect((await hangupOf(alice)).payload).toEqual({ callsid: callSid });
  });

  it('after the call was answered, an end with a reason is a plain hangup', async () => {
    const { alice, leg, callSid } = await aliceCalls();
    await leg.answer();
    await alice.until(() => alice.messages.find((m) => m.type === 'answer'));
    leg.hangup('rejected');
    expect((await hangupOf(alice)).payload).toEqual({ callsid: callSid });
  });
});
