import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import { FakeClock } from '@switchboard/sandbox-model';
import { RecordingSocket } from '../testing/sdk-doubles';
import { PStreamTransport, type CallMessage } from './pstream-transport';
import { SdkSessions, type SdkSession } from './sdk-sessions';

const keys = [{ sid: SANDBOX_CREDENTIALS.apiKeySid, secret: SANDBOX_CREDENTIALS.apiKeySecret, accountSid: SANDBOX_CREDENTIALS.accountSid }];

/** A real signed token; `iat` comes from the real time, so the fake clock starts there too. */
function token(identity: string, options: { ttl?: number; incoming?: boolean } = {}): string {
  const { AccessToken } = twilio.jwt;
  const t = new AccessToken(SANDBOX_CREDENTIALS.accountSid, SANDBOX_CREDENTIALS.apiKeySid, SANDBOX_CREDENTIALS.apiKeySecret, {
    identity,
    ttl: options.ttl ?? 600,
  });
  t.addGrant(new AccessToken.VoiceGrant({ incomingAllow: options.incoming ?? true, outgoingApplicationSid: SANDBOX_CREDENTIALS.twimlAppSid }));
  return t.toJwt();
}

const frame = (type: string, payload: unknown): string => JSON.stringify({ type, version: '1.6', payload });
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('PStreamTransport (sessions driven frame by frame, time on a fake clock)', () => {
  let clock: FakeClock;
  let sessions: SdkSessions;
  let transport: PStreamTransport;
  let routed: { session: SdkSession; message: CallMessage }[];

  beforeEach(() => {
    clock = new FakeClock(Math.floor(Date.now() / 1000) * 1000);
    sessions = new SdkSessions(() => undefined);
    routed = [];
    transport = new PStreamTransport({
      sessions,
      apiKeys: keys,
      clock,
      log: () => undefined,
      heartbeatMs: 5000,
      onCallMessage: (session, message) => void routed.push({ session, message }),
      onSessionLost: () => undefined,
    });
  });

  afterEach(() => transport.close());

  function connect(): { session: SdkSession; socket: RecordingSocket } {
    const socket = new RecordingSocket();
    return { session: sessions.add(socket), socket };
  }

  async function registered(identity: string, ttl = 600): Promise<{ session: SdkSession; socket: RecordingSocket }> {
    const client = connect();
    transport.receive(client.session, frame('listen', { token: token(identity, { ttl }), reconnectTimeout: 30 }));
    transport.receive(client.session, frame('register', { media: { audio: true } }));
    await flush();
    return client;
  }

  it('listen answers connected with the identity and the token ttl; register answers ready', async () => {
    const alice = await registered('alice');
    expect(alice.socket.messages).toEqual([
      { type: 'connected', version: '1.6', payload: { edge: 'sandbox', token: { identity: 'alice', ttl: expect.any(Number) } } },
      { type: 'ready', version: '1.6', payload: {} },
    ]);
    expect(alice.socket.sent('connected')[0].token.ttl).toBeGreaterThan(595);
    expect(alice.session.reconnectTimeoutSeconds).toBe(30);
    expect(sessions.registrations()).toEqual({ alice: 1 });
  });

  it('sends a heartbeat every heartbeatMs of clock time; stop-heartbeats silences one identity for N seconds', async () => {
    const alice = await registered('alice');
    const bob = await registered('bob');
    await clock.advance(5000);
    expect([alice.socket.heartbeats, bob.socket.heartbeats]).toEqual([1, 1]);
    expect(transport.stopHeartbeats('alice', 12)).toBe(1);
    await clock.advance(10_000);
    expect([alice.socket.heartbeats, bob.socket.heartbeats]).toEqual([1, 3]);
    await clock.advance(5000);
    expect([alice.socket.heartbeats, bob.socket.heartbeats]).toEqual([2, 4]);
  });

  it('the token expires on the clock: error 31205 and the session is no longer registered', async () => {
    const alice = await registered('alice', 60);
    // The ttl the SDK is told (60, or 61 if the token was signed in the clock's next second).
    const ttl = alice.socket.sent('connected')[0].token.ttl;
    await clock.advance(ttl * 1000 - 1);
    expect(alice.socket.sent('error')).toEqual([]);
    await clock.advance(1);
    expect(alice.socket.sent('error')).toEqual([{ error: { code: 31205, message: 'Access token expired' } }]);
    expect(sessions.registrations()).toEqual({});
  });

  it('a new listen (updateToken) replaces the expiry of the old token', async () => {
    const alice = await registered('alice', 60);
    await clock.advance(30_000);
    transport.receive(alice.session, frame('listen', { token: token('alice', { ttl: 600 }) }));
    await clock.advance(120_000);
    expect(alice.socket.sent('error')).toEqual([]);
  });

  it('register before listen: error 31204, close, and the socket closes 100 ms later on the clock', async () => {
    const stranger = connect();
    transport.receive(stranger.session, frame('register', { media: { audio: true } }));
    expect(stranger.socket.messages.map((m) => m.type)).toEqual(['error', 'close']);
    expect(stranger.socket.sent('error')).toEqual([{ error: { code: 31204, message: 'register before listen' } }]);
    await clock.advance(99);
    expect(stranger.socket.closed).toBe(false);
    await clock.advance(1);
    expect(stranger.socket.closed).toBe(true);
  });

  it('a bad signature is refused the same way', async () => {
    const client = connect();
    const [header, claims] = token('alice').split('.');
    transport.receive(client.session, frame('listen', { token: `${header}.${claims}.bad` }));
    expect(client.socket.sent('error')).toEqual([{ error: { code: 31204, message: 'Access token signature is invalid' } }]);
    await clock.advance(100);
    expect(client.socket.closed).toBe(true);
  });

  it('a listen without a token is answered 31102 and the session closes', async () => {
    const client = connect();
    transport.receive(client.session, frame('listen', { reconnectTimeout: 0 }));
    expect(client.socket.messages.map((m) => m.type)).toEqual(['error', 'close']);
    expect(client.socket.sent('error')[0].error.code).toBe(31102);
    await clock.advance(100);
    expect(client.socket.closed).toBe(true);
  });

  it('a malformed frame is answered 31100 and the session goes on', async () => {
    const alice = await registered('alice');
    transport.receive(alice.session, 'not json');
    expect(alice.socket.sent('error')).toEqual([{ error: { code: 31100, message: 'Malformed request: frame is not JSON' } }]);
    await clock.advance(1000);
    expect(alice.socket.closed).toBe(false);
    expect(sessions.registrations()).toEqual({ alice: 1 });
  });

  it('unregister answers offline; a token without an incoming grant cannot register (31201)', async () => {
    const alice = await registered('alice');
    transport.receive(alice.session, frame('register', { media: { audio: false } }));
    expect(alice.socket.sent('offline')).toEqual([{}]);
    const bob = connect();
    transport.receive(bob.session, frame('listen', { token: token('bob', { incoming: false }) }));
    transport.receive(bob.session, frame('register', { media: { audio: true } }));
    expect(bob.socket.sent('error')).toEqual([{ error: { code: 31201, message: 'Token has no incoming grant' } }]);
    expect(sessions.registrations()).toEqual({});
  });

  it('hands every call message on, typed (`message` included: its ack or error is the call messages\' job)', async () => {
    const alice = await registered('alice');
    transport.receive(alice.session, frame('message', { callsid: 'CA1', content: '{}', voiceeventsid: 'KX1' }));
    transport.receive(alice.session, frame('invite', { callsid: 'TJS1', sdp: 'v=0', twilio: {} }));
    transport.receive(alice.session, frame('hangup', { callsid: 'TJS1' }));
    transport.receive(alice.session, '\n');
    transport.receive(alice.session, frame('presence', {}));
    await flush();
    expect(alice.socket.sent('ack')).toEqual([]);
    expect(routed.map((r) => r.message)).toEqual([
      { type: 'message', payload: { callsid: 'CA1', content: '{}', voiceeventsid: 'KX1' } },
      { type: 'invite', payload: { callsid: 'TJS1', sdp: 'v=0', twilio: {} } },
      { type: 'hangup', payload: { callsid: 'TJS1' } },
    ]);
    expect(routed.every((r) => r.session === alice.session)).toBe(true);
  });

  it('expire-token and drop-socket act on every session of one identity only', async () => {
    const alice = await registered('alice');
    const alice2 = await registered('alice');
    const bob = await registered('bob');
    expect(transport.expireToken('alice')).toBe(2);
    expect(sessions.registrations()).toEqual({ bob: 1 });
    expect(transport.dropSocket('alice')).toBe(2);
    expect([alice.socket.terminated, alice2.socket.terminated, bob.socket.terminated]).toEqual([true, true, false]);
  });

  it('refuse-connections answers upgrades 503 until the clock passes the window', async () => {
    transport.refuseConnections(2);
    const ended: string[] = [];
    const socket = { end: (text: string) => void ended.push(text) } as unknown as Duplex;
    transport.handleUpgrade({} as IncomingMessage, socket, Buffer.alloc(0));
    expect(ended).toEqual(['HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n']);
    await clock.advance(1999);
    transport.handleUpgrade({} as IncomingMessage, socket, Buffer.alloc(0));
    expect(ended).toHaveLength(2);
  });
});
