import { createHmac, timingSafeEqual } from 'node:crypto';

/** An API key the sandbox accepts token signatures from. */
export interface ApiKeyCredential {
  readonly sid: string;
  readonly secret: string;
  readonly accountSid: string;
}

export interface VerifiedToken {
  readonly identity: string;
  readonly accountSid: string;
  readonly apiKeySid: string;
  /** Seconds since epoch. */
  readonly expiresAt: number;
  /** `iat`, seconds since epoch (the `twilio` library floors it), when the token has one. */
  readonly issuedAt?: number;
  readonly incomingAllowed: boolean;
  readonly outgoingApplicationSid?: string;
  readonly outgoingParams: Readonly<Record<string, string>>;
}

/** Twilio's signaling codes: 31204 → SDK 20101 (invalid), 31205 → SDK 20104 (expired). */
export class TokenRejected extends Error {
  constructor(readonly code: 31204 | 31205, message: string) {
    super(message);
  }
}

/**
 * Verifies a Voice access token the way Twilio does: HS256 signed with the secret of the API key
 * named in `iss`, `sub` an account that key belongs to, `exp` in the future.
 */
export function verifyAccessToken(token: unknown, keys: readonly ApiKeyCredential[], nowSeconds: number): VerifiedToken {
  if (typeof token !== 'string') throw new TokenRejected(31204, 'Access token missing');
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenRejected(31204, 'Access token is not a JWT');
  const header = decodeJson(parts[0]);
  const claims = decodeJson(parts[1]);
  if (!header || !claims) throw new TokenRejected(31204, 'Access token is not valid JSON');
  if (header['alg'] !== 'HS256') throw new TokenRejected(31204, `Unsupported token algorithm ${String(header['alg'])}`);
  const key = keys.find((k) => k.sid === claims['iss']);
  if (!key) throw new TokenRejected(31204, 'Unknown API key in token issuer');
  const expected = createHmac('sha256', key.secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new TokenRejected(31204, 'Access token signature is invalid');
  }
  if (claims['sub'] !== key.accountSid) throw new TokenRejected(31204, 'Token subject is not the API key’s account');
  const exp = claims['exp'];
  if (typeof exp !== 'number') throw new TokenRejected(31204, 'Token has no expiry');
  if (exp <= nowSeconds) throw new TokenRejected(31205, 'Access token expired');
  const grants = asRecord(claims['grants']);
  const identity = grants?.['identity'];
  if (typeof identity !== 'string' || identity.length === 0) throw new TokenRejected(31204, 'Token has no identity');
  const voice = asRecord(grants?.['voice']);
  const incoming = asRecord(voice?.['incoming']);
  const outgoing = asRecord(voice?.['outgoing']);
  const applicationSid = outgoing?.['application_sid'];
  const params = asRecord(outgoing?.['params']) ?? {};
  return {
    identity,
    accountSid: key.accountSid,
    apiKeySid: key.sid,
    expiresAt: exp,
    ...(typeof claims['iat'] === 'number' && { issuedAt: claims['iat'] }),
    incomingAllowed: incoming?.['allow'] === true,
    outgoingApplicationSid: typeof applicationSid === 'string' ? applicationSid : undefined,
    outgoingParams: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
  };
}

/**
 * `connected.token.ttl`: the SDK schedules `tokenWillExpire` at `ttl·1000 − tokenRefreshMs` after
 * `connected` and reads it nowhere else. Twilio reports the token's lifetime, `exp − iat`: its own
 * integration suite (10 s token, tokenRefreshMs 1000) requires the event between 8.5 s and 9.5 s
 * after `register()` resolves, which the remaining whole seconds (9 as soon as `listen` lands in
 * the second after `iat`) would miss. Without a usable `iat`, the remaining time rounded up.
 */
export function connectedTtlSeconds(token: VerifiedToken, nowSeconds: number): number {
  const { issuedAt, expiresAt } = token;
  if (issuedAt !== undefined && issuedAt <= expiresAt) return expiresAt - issuedAt;
  return Math.max(0, Math.ceil(expiresAt - nowSeconds));
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    return asRecord(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
