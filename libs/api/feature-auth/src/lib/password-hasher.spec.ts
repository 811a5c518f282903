import { hashPassword, UNKNOWN_AGENT_HASH, verifyPassword } from './password-hasher';

describe('password hashing (scrypt)', () => {
  it('stores parameters and a per-user salt, and verifies only the right password', async () => {
    const first = await hashPassword('correct horse');
    const second = await hashPassword('correct horse');
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
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
});
