import twilio from 'twilio';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import { FakeClock } from '@switchboard/sandbox-model';
import { RecordingSocket, tokenFor } from '../testing/sdk-doubles';
import { connectedTtlSeconds } from './access-token';
import { PStreamTransport } from './pstream-transport';
import { SdkSessions } from './sdk-sessions';

const keys = [{ sid: SANDBOX_CREDENTIALS.apiKeySid, secret: SANDBOX_CREDENTIALS.apiKeySecret, accountSid: SANDBOX_CREDENTIALS.accountSid }];

/** A real token from the `twilio` library, and its `iat`/`exp` claims. */
function signedToken(ttl: number): { jwt: string; iat: number; exp: number } {
  const { AccessToken } = twilio.jwt;
  const token = new AccessToken(SANDBOX_CREDENTIALS.accountSid, SANDBOX_CREDENTIALS.apiKeySid, SANDBOX_CREDENTIALS.apiKeySecret, {
    identity: 'alice',
    ttl,
  });
  token.addGrant(new AccessToken.VoiceGrant({ incomingAllow: true }));
  const jwt = token.toJwt();
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { iat: number; exp: number };
  return { jwt, ...claims };
}

describe('connected.token.ttl (issue 11 item 7)', () => {
  let transport: PStreamTransport | undefined;
  afterEach(() => transport?.close());

  it('a listen 1.3 s after iat is told the token lifetime (600), and the session still expires at exp', async () => {
    const { jwt, iat, exp } = signedToken(600);
    const clock = new FakeClock(iat * 1000 + 1300);
    const sessions = new SdkSessions(() => undefined);
    transport = new PStreamTransport({
      sessions,
      apiKeys: keys,
      clock,
      log: () => undefined,
      onCallMessage: () => undefined,
      onSessionLost: () => undefined,
    });
    const socket = new RecordingSocket();
    const session = sessions.add(socket);
    transport.receive(session, JSON.stringify({ type: 'listen', version: '1.6', payload: { token: jwt, reconnectTimeout: 0 } }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.sent('connected')).toEqual([{ edge: 'sandbox', token: { identity: 'alice', ttl: 600 } }]);

    const untilExp = exp * 1000 - clock.now();
    await clock.advance(untilExp - 1);
    expect(socket.sent('error')).toEqual([]);
    await clock.advance(1);
    expect(socket.sent('error')).toEqual([{ error: { code: 31205, message: 'Access token expired' } }]);
  });

  it('is exp − iat however late in its life the token is presented; without iat, the remaining time rounded up', () => {
    expect(connectedTtlSeconds(tokenFor('alice', { issuedAt: 1000, expiresAt: 1010 }), 1001.3)).toBe(10);
    expect(connectedTtlSeconds(tokenFor('alice', { expiresAt: 1010 }), 1001.3)).toBe(9);
    expect(connectedTtlSeconds(tokenFor('alice', { expiresAt: 1010 }), 1011)).toBe(0);
  });
});
