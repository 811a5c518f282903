import { hashPassword, needsRehash, SCRYPT_PARAMS, scryptParamsOf, UNKNOWN_AGENT_HASH, verifyPassword } from './password-hasher';

describe('password hashing (scrypt)', () => {
  it('stores parameters and a per-user salt, and verifies only the right password', async () => {
    const first = await hashPassword('correct horse');
    const second = await hashPassword('correct horse');
    expect(first).toMatch(/^scrypt\$16384\$8\$5\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('correct horse', first)).toBe(true);
    expect(await verifyPassword('correct horse ', first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
  });

  it('never matches a malformed stored hash or the unknown-agent placeholder', async () => {
    for (const stored of ['', 'plain', 'scrypt$x$8$1$AAAA$BBBB', 'bcrypt$1$2$3$4$5', UNKNOWN_AGENT_HASH]) {
      expect(await verifyPassword('anything', stored)).toBe(false);
    }
  });

  it('verifies a hash made with older parameters, and says it needs rehashing; a current one does not', async () => {
    const old = await hashPassword('correct horse', { N: 16_384, r: 8, p: 1 });
    expect(scryptParamsOf(old)).toEqual({ N: 16_384, r: 8, p: 1 });
    expect(await verifyPassword('correct horse', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    const current = await hashPassword('correct horse');
    expect(scryptParamsOf(current)).toEqual(SCRYPT_PARAMS);
    expect(needsRehash(current)).toBe(false);
    expect(scryptParamsOf(UNKNOWN_AGENT_HASH)).toEqual(SCRYPT_PARAMS); // an unknown identity costs a current-parameter verify
  });
});
