import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * scrypt parameters for new hashes: N=2^14, r=8, p=5, one of OWASP's equivalent settings (as strong as
 * N=2^17 with p=1). Of those, it needs the least memory, 16 MiB per hash (128·N·r), so the four libuv
 * threads hashing at once stay at 64 MiB, and about 0.2 s on a loaded two-core machine (N=2^15, p=3
 * took 0.37 s and twice the memory). Stored with each hash, so older hashes still verify and are
 * rehashed at their next successful sign-in.
 */
export const SCRYPT_PARAMS: ScryptParams = Object.freeze({ N: 16_384, r: 8, p: 5 });
const KEY_LENGTH = 32;
/** Room for N=2^17 with r=8 (128 MiB), should a stored hash or a later default use it; Node's default is 32 MiB. */
const MAX_MEMORY = 160 * 1024 * 1024;

function derive(password: string, salt: Buffer, { N, r, p }: ScryptParams, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLength, { N, r, p, maxmem: MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` (base64url). `params` other than the default only for tests of older hashes. */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params, KEY_LENGTH);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** The parameters a stored hash was made with; null when it is not one of ours. */
export function scryptParamsOf(stored: string): ScryptParams | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  return [N, r, p].every((n) => Number.isInteger(n) && n > 0) ? { N, r, p } : null;
}

/** True when a stored hash was made with other parameters than today's: rehash it while the password is at hand. */
export function needsRehash(stored: string): boolean {
  const params = scryptParamsOf(stored);
  return params === null || params.N !== SCRYPT_PARAMS.N || params.r !== SCRYPT_PARAMS.r || params.p !== SCRYPT_PARAMS.p;
}

/** Constant-time comparison; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const params = scryptParamsOf(stored);
  if (params === null) return false;
  const parts = stored.split('$');
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (expected.length < 16) return false;
  const actual = await derive(password, salt, params, expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * A hash no password matches, verified for unknown identities so that sign-in costs the same scrypt
 * work whether or not the identity exists (the time does not tell them apart).
 */
export const UNKNOWN_AGENT_HASH = `scrypt$${SCRYPT_PARAMS.N}$${SCRYPT_PARAMS.r}$${SCRYPT_PARAMS.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_LENGTH).toString('base64url')}`;
