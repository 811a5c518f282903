import { formatAsYouType } from './format-as-you-type';

describe('formatAsYouType', () => {
  it('formats an international US number keystroke by keystroke', () => {
    const typed = '+14155550100';
    const shown = Array.from(typed, (_char, index) => formatAsYouType(typed.slice(0, index + 1)));
    expect(shown.at(-1)).toBe('+1 415 555 0100');
    expect(shown[4]).toBe('+1 415');
    expect(shown).toContain('+1 415 555');
  });

  it.each([
    ['+442079460000', undefined, '+44 20 7946 0000'],
    ['+447400123456', undefined, '+44 7400 123456'],
    ['4155550100', 'US', '(415) 555-0100'],
    ['02079460000', 'GB', '020 7946 0000'],
    ['+1 (415) 555-0100', undefined, '+1 415 555 0100'],
    ['0044 20 7946 0000', undefined, '+44 20 7946 0000'],
    ['+44 20 7946 0000', 'US', '+44 20 7946 0000'],
  ] as const)('formats %j (default %s) as %j', (input, country, expected) => {
    expect(formatAsYouType(input, country)).toBe(expected);
  });

  it.each(['', '+', 'alice', 'client:alice', '+1-800-FLOWERS', '*67', '1'.repeat(40), '\u0000\u0007'])(
    'returns %j unchanged: not a number being typed',
    (input) => {
      expect(formatAsYouType(input)).toBe(input);
    },
  );

  it('never throws for random input, including an unknown default country', () => {
    let state = 99;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      let input = '';
      const length = Math.floor(next() * 40);
      for (let j = 0; j < length; j++) input += String.fromCodePoint(Math.floor(next() * 0x3000));
      expect(typeof formatAsYouType(input, i % 2 ? ('ZZ' as never) : 'GB')).toBe('string');
    }
  });
});
