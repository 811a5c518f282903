import { eventTime, optionalDigits, rawPayload, requireCallSid } from './callback-params';

describe('callback params', () => {
  it('requires a well-formed CallSid, naming the field', () => {
    expect(requireCallSid({ CallSid: `CA${'a'.repeat(32)}` })).toBe(`CA${'a'.repeat(32)}`);
    expect(() => requireCallSid({ CallSid: 'CA1' })).toThrow(/CallSid/);
    expect(() => requireCallSid({})).toThrow(/CallSid/);
  });

  it('reads whole numbers and Twilio timestamps', () => {
    expect(optionalDigits({ SequenceNumber: '3' }, 'SequenceNumber')).toBe(3);
    expect(optionalDigits({}, 'SequenceNumber')).toBeNull();
    expect(() => optionalDigits({ SequenceNumber: '-1' }, 'SequenceNumber')).toThrow(/SequenceNumber/);
    expect(eventTime({ Timestamp: 'Tue, 24 Nov 2026 10:00:00 +0000' }).toISOString()).toBe('2026-11-24T10:00:00.000Z');
  });

  it('keeps only string params for the raw event', () => {
    expect(rawPayload({ a: 'x', b: ['y'] })).toEqual({ a: 'x' });
  });

  it('replaces NUL, which Postgres text and jsonb refuse, in names and values', () => {
    expect(rawPayload({ 'a\u0000': 'x\u0000y', CallerName: '\u0000' })).toEqual({ 'a\uFFFD': 'x\uFFFDy', CallerName: '\uFFFD' });
  });
});
