import { readSandboxNumbers } from '../testing/sandbox-numbers';
import { isE164, type E164 } from './e164';
import { parsePhoneNumber } from './parse-phone-number';
import { parsePhoneNumberWithType } from './parse-phone-number-with-type';
import type { ParseResult } from './parse-result';

const parsers = [
  ['parsePhoneNumber (min)', parsePhoneNumber],
  ['parsePhoneNumberWithType (max)', parsePhoneNumberWithType],
] as const;

describe.each(parsers)('%s', (_name, parse) => {
  it.each([
    ['+1 415 555 0100', undefined, '+14155550100'],
    ['+1 (415) 555-0100', undefined, '+14155550100'],
    ['+1.415.555.0100', undefined, '+14155550100'],
    ['  +14155550100  ', undefined, '+14155550100'],
    ['0044 20 7946 0000', undefined, '+442079460000'],
    ['00 1 212 555 1234', undefined, '+12125551234'],
    ['(415) 555-0100', 'US', '+14155550100'],
    ['020 7946 0000', 'GB', '+442079460000'],
    ['07400 123456', 'GB', '+447400123456'],
    ['+44\u00a020\u20137946\u20130000', undefined, '+442079460000'],
  ] as const)('parses %j (default country %s) to %s', (input, country, expected) => {
    const result = parse(input, country);
    expect(result).toMatchObject({ ok: true, e164: expected });
  });

  it('fills in country and both formats', () => {
    expect(parse('+14155550100')).toEqual({
      ok: true,
      e164: '+14155550100',
      country: 'US',
      type: 'FIXED_LINE_OR_MOBILE',
      national: '(415) 555-0100',
      international: '+1 415 555 0100',
    });
  });

  it('reports a non-geographic number with no country', () => {
    expect(parse('+881612345678')).toMatchObject({ ok: true, country: undefined });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['+1-800-FLOWERS', 'invalid-characters'],
    ['client:alice', 'invalid-characters'],
    ['alice', 'invalid-characters'],
    ['sip:alice@example.com', 'invalid-characters'],
    ['*67 415 555 0100', 'invalid-characters'],
    ['415#555', 'invalid-characters'],
    ['+1 415 555 0100 x12', 'invalid-characters'],
    ['1+4155550100', 'invalid-characters'],
    ['++14155550100', 'invalid-characters'],
    ['+1415\n5550100', 'invalid-characters'],
    ['+1415\u00005550100', 'invalid-characters'],
    ['+1415\u200b5550100', 'invalid-characters'],
    ['+\uff11\uff14\uff11\uff15\uff15\uff15\uff15\uff10\uff11\uff10\uff10', 'invalid-characters'],
    ['+1 415 555 0100 <Dial>', 'invalid-characters'],
    ['1'.repeat(33), 'too-long'],
    ['+1234567890123456', 'too-long'],
    ['()-. ', 'not-a-number'],
    ['+', 'not-a-number'],
    ['00', 'not-a-number'],
    ['+0123456789', 'invalid'],
    ['4155550100', 'invalid'],
    ['+1415', 'invalid'],
    ['+19762345678', 'invalid'],
    ['911', 'invalid'],
  ])('refuses %j as %s', (input, reason) => {
    expect(parse(input)).toEqual({ ok: false, reason });
  });

  it('ignores a default country libphonenumber does not know instead of throwing', () => {
    expect(parse('+14155550100', 'ZZ' as never)).toMatchObject({ ok: true, e164: '+14155550100' });
    expect(parse('4155550100', 'ZZ' as never)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('does not apply the default country to an international number', () => {
    expect(parse('+44 20 7946 0000', 'US')).toMatchObject({ ok: true, country: 'GB' });
  });

  it('finds the sandbox numbers to check', () => {
    expect(readSandboxNumbers().length).toBeGreaterThanOrEqual(8);
  });

  // libphonenumber-js accepts the fictional 555-01XX range as ordinary US numbers, so no special
  // case is needed; if a metadata update ever refuses them, this fails before the sandbox does.
  it.each(readSandboxNumbers())('treats sandbox number %s (fictional 555-01XX range) as a valid US number', (number) => {
    expect(parse(number)).toMatchObject({ ok: true, e164: number, country: 'US', type: 'FIXED_LINE_OR_MOBILE' });
  });
});

describe('parsePhoneNumberWithType', () => {
  it.each([
    ['+19005550100', 'PREMIUM_RATE'],
    ['+449098790000', 'PREMIUM_RATE'],
    ['+448001234567', 'TOLL_FREE'],
    ['+447400123456', 'MOBILE'],
    ['+442079460000', 'FIXED_LINE'],
    ['+447012345678', 'PERSONAL_NUMBER'],
    ['+443001234567', 'UAN'],
    ['+5378123456', 'FIXED_LINE'],
  ])('types %s as %s', (input, type) => {
    expect(parsePhoneNumberWithType(input)).toMatchObject({ ok: true, type });
  });
});

describe('isE164', () => {
  it.each(['+14155550100', '+442079460000', '+12', '+123456789012345'])('accepts %s', (value) => {
    expect(isE164(value)).toBe(true);
  });

  it.each(['14155550100', '+0123', '+1', '+1234567890123456', '+1 415 555 0100', '', ' +14155550100', 42, null])(
    'refuses %j',
    (value) => {
      expect(isE164(value)).toBe(false);
    },
  );

  it('narrows to the branded type', () => {
    const value = ['+14155550100'].join('');
    const branded: E164 | undefined = isE164(value) ? value : undefined;
    expect(branded).toBe('+14155550100');
  });
});

/** A small deterministic generator, so a failure reproduces. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomString(next: () => number, maxLength: number): string {
  const pools = [
    () => String.fromCharCode(Math.floor(next() * 0x20)), // control characters
    () => '0123456789+-(). '.charAt(Math.floor(next() * 16)),
    () => String.fromCodePoint(Math.floor(next() * 0x10ffff)), // any code point, lone surrogates included
    () => String.fromCharCode(0xd800 + Math.floor(next() * 0x800)),
    () => 'client:alice<>&"\''.charAt(Math.floor(next() * 16)),
  ];
  let text = '';
  const length = Math.floor(next() * maxLength);
  for (let i = 0; i < length; i++) text += pools[Math.floor(next() * pools.length)]();
  return text;
}

function expectWellFormed(input: string, result: ParseResult): void {
  if (result.ok) {
    expect(isE164(result.e164)).toBe(true);
    expect(input.length).toBeLessThanOrEqual(32);
    expect(input).toMatch(/^[\s\d+\-.()\u2010-\u2015\u2212]+$/u);
  } else {
    expect(['empty', 'too-long', 'invalid-characters', 'not-a-number', 'invalid']).toContain(result.reason);
  }
}

describe.each(parsers)('%s under fuzzing', (_name, parse) => {
  it('never throws and always answers in shape, for 5,000 random strings', () => {
    const next = randomSource(0x5eed);
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const input = randomString(next, i % 10 === 0 ? 2_000 : 40);
      const result = parse(input, i % 2 === 0 ? 'US' : undefined);
      expectWellFormed(input, result);
      if (result.ok) accepted++;
    }
    // The phone-character pool alone makes some valid numbers unlikely; accepting everything would be a bug.
    expect(accepted).toBeLessThan(5000);
  });

  it('survives a megabyte of digits and a megabyte of control characters', () => {
    expect(parse('1'.repeat(1_000_000))).toEqual({ ok: false, reason: 'too-long' });
    expect(parse('\u0000'.repeat(1_000_000))).toEqual({ ok: false, reason: 'too-long' });
  });

  it('accepts random punctuation around a valid number', () => {
    const next = randomSource(42);
    const separators = [' ', '-', '.', '(', ')', '\u00a0'];
    for (let i = 0; i < 200; i++) {
      const digits = '14155550100';
      let text = '+';
      for (const digit of digits) {
        text += digit;
        if (next() < 0.3) text += separators[Math.floor(next() * separators.length)];
      }
      expect(parse(text.slice(0, 32))).toMatchObject({ ok: true, e164: '+14155550100' });
    }
  });
});
