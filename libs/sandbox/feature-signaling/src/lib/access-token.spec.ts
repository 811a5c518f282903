import twilio from 'twilio';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import { TokenRejected, verifyAccessToken, type ApiKeyCredential } from './access-token';
import { redactPayload } from './signaling-log';

const keys: ApiKeyCredential[] = [
  { sid: SANDBOX_CREDENTIALS.apiKeySid, secret: SANDBOX_CREDENTIALS.apiKeySecret, accountSid: SANDBOX_CREDENTIALS.accountSid },
];

function token(options: { secret?: string; accountSid?: string; incoming?: boolean } = {}): string {
  const { AccessToken } = twilio.jwt;
  const t = new AccessToken(
    options.accountSid ?? SANDBOX_CREDENTIALS.accountSid,
    SANDBOX_CREDENTIALS.apiKeySid,
    options.secret ?? SANDBOX_CREDENTIALS.apiKeySecret,
    { identity: 'alice', ttl: 600 },
  );
  t.addGrant(
    new AccessToken.VoiceGrant({
      incomingAllow: options.incoming ?? true,
      outgoingApplicationSid: SANDBOX_CREDENTIALS.twimlAppSid,
      outgoingApplicationParams: { queue: 'support' },
    }),
  );
  return t.toJwt();
}

const now = (): number => Date.now() / 1000;

function rejection(fn: () => unknown): TokenRejected {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenRejected) return error;
    throw error;
  }
  throw new Error('expected a TokenRejected');
}

describe('verifyAccessToken', () => {
  it('accepts a token signed by the twilio package and reads its grants', () => {
    const verified = verifyAccessToken(token(), keys, now());
    expect(verified).toMatchObject({
      identity: 'alice',
      accountSid: SANDBOX_CREDENTIALS.accountSid,
      incomingAllowed: true,
      outgoingApplicationSid: SANDBOX_CREDENTIALS.twimlAppSid,
      outgoingParams: { queue: 'support' },
    });
  });

  it('reports an incoming grant that is absent', () => {
    expect(verifyAccessToken(token({ incoming: false }), keys, now()).incomingAllowed).toBe(false);
  });

  it('rejects a forged signature with 31204', () => {
    expect(rejection(() => verifyAccessToken(token({ secret: 'x'.repeat(32) }), keys, now())).code).toBe(31204);
  });

  it('rejects an expired token with 31205', () => {
    expect(rejection(() => verifyAccessToken(token(), keys, now() + 601)).code).toBe(31205);
  });

  it('rejects a subject that is not the key’s account', () => {
    const error = rejection(() => verifyAccessToken(token({ accountSid: 'AC' + '0'.repeat(32) }), keys, now()));
    expect(error.code).toBe(31204);
    expect(error.message).toMatch(/subject/);
  });

  it.each([undefined, 42, '', 'a.b', 'not.a.jwt', 'e30.e30.AAAA'])('rejects garbage %p with 31204', (value) => {
    expect(rejection(() => verifyAccessToken(value, keys, now())).code).toBe(31204);
  });
});

describe('redactPayload', () => {
  it('hides tokens and reconnect tokens and summarizes SDPs', () => {
    const out = redactPayload({ token: 'secret.jwt.value', reconnect: 'RT1', sdp: 'v=0\r\na=candidate:1\r\n', nested: { token: 'x' } });
    expect(JSON.stringify(out)).not.toMatch(/secret\.jwt|RT1/);
    expect(out).toMatchObject({ sdp: '<sdp 20B, 1 candidates>', nested: { token: '<redacted 1B>' } });
  });
});
