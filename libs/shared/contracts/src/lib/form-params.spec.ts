import { formParam } from './form-params';

describe('formParam', () => {
  it('reads single string params only', () => {
    const body = Object.assign(Object.create(null), { To: '+1415', Repeated: ['a', 'b'], Long: 'x'.repeat(300), Count: 3 });
    expect(formParam(body, 'To')).toBe('+1415');
    expect(formParam(body, 'Repeated')).toBeUndefined();
    expect(formParam(body, 'Long')).toBeUndefined();
    expect(formParam(body, 'Count')).toBeUndefined();
    expect(formParam(undefined, 'To')).toBeUndefined();
    expect(formParam('To=1', 'To')).toBeUndefined();
  });

  it('never reads inherited keys', () => {
    expect(formParam({}, 'toString')).toBeUndefined();
    expect(formParam({}, '__proto__')).toBeUndefined();
  });

  it('takes the length limit from the caller', () => {
    expect(formParam({ To: 'x'.repeat(300) }, 'To', 512)).toHaveLength(300);
    expect(formParam({ To: 'abc' }, 'To', 2)).toBeUndefined();
  });
});
