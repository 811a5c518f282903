import { clientIdentity, formParam } from './webhook-params';

describe('webhook params', () => {
  it('reads single string params only', () => {
    const body = Object.assign(Object.create(null), { To: '+1415', Repeated: ['a', 'b'], Long: 'x'.repeat(300) });
    expect(formParam(body, 'To')).toBe('+1415');
    expect(formParam(body, 'Repeated')).toBeUndefined();
    expect(formParam(body, 'Long')).toBeUndefined();
    expect(formParam(body, 'toString')).toBeUndefined();
    expect(formParam(undefined, 'To')).toBeUndefined();
  });

  it('accepts only client:<identity> with SDK-safe identities', () => {
    expect(clientIdentity('client:alice_2')).toBe('alice_2');
    for (const value of ['client:', 'client:../x', 'client:a b', 'alice', `client:${'a'.repeat(122)}`, undefined]) {
      expect(clientIdentity(value)).toBeUndefined();
    }
  });
});
