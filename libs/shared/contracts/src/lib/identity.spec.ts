import { clientAddress, clientIdentity, IDENTITY_PATTERN, isIdentity } from './identity';

describe('agent identity', () => {
  it('accepts letters, digits and underscores up to 121 characters', () => {
    for (const value of ['alice', 'j_smith', 'A1', '_', 'a'.repeat(121)]) expect(isIdentity(value)).toBe(true);
  });

  it('refuses anything that could leave a TwiML attribute, a URL segment or a log line', () => {
    for (const value of ['', 'a b', '../x', 'a-b', 'a.b', 'alice\n', 'élan', 'a'.repeat(122)]) expect(isIdentity(value)).toBe(false);
  });

  it('reads the identity from a client address only', () => {
    expect(clientIdentity('client:alice_2')).toBe('alice_2');
    expect(clientIdentity(clientAddress('bob'))).toBe('bob');
    for (const value of ['client:', 'client:../x', 'client:a b', 'alice', '+14155550100', `client:${'a'.repeat(122)}`, undefined]) {
      expect(clientIdentity(value)).toBeUndefined();
    }
  });

  it('is anchored, so a longer string containing an identity is refused', () => {
    expect(IDENTITY_PATTERN.source.startsWith('^')).toBe(true);
    expect(IDENTITY_PATTERN.test('ok;DROP')).toBe(false);
  });
});
