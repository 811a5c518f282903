import { readSandboxNumbers } from '../testing/sandbox-numbers';
import {
  DEFAULT_BLOCKED_NUMBER_TYPES,
  DEFAULT_BLOCKED_PREFIXES,
  DEFAULT_NUMBER_POLICY,
  evaluateNumberPolicy,
  parseNumberPolicy,
  type NumberPolicy,
} from './number-policy';

describe('evaluateNumberPolicy with DEFAULT_NUMBER_POLICY', () => {
  it.each([
    ['+19005550100', 'US 900 premium rate, fictional line', 'blocked-prefix'],
    ['+19002345678', 'US 900 premium rate', 'blocked-prefix'],
    ['+1 900 234 5678', 'US 900 premium rate, punctuated', 'blocked-prefix'],
    ['+19762345678', 'US 976 legacy premium', 'blocked-prefix'],
    ['+449098790000', 'UK 09 premium rate', 'blocked-prefix'],
    ['+448451234567', 'UK 0845 service number', 'blocked-type'],
    ['+448701234567', 'UK 0870 service number', 'blocked-type'],
    ['+448431234567', 'UK 0843 service number', 'blocked-type'],
    ['+447012345678', 'UK 070 personal number', 'blocked-type'],
    ['+443001234567', 'UK 03 UAN', 'blocked-type'],
    ['+445512345678', 'UK 055 corporate UAN', 'blocked-type'],
    ['+881612345678', 'global mobile satellite', 'blocked-prefix'],
    ['+882341234567', 'international networks', 'blocked-prefix'],
    ['+883510012345', 'international networks', 'blocked-prefix'],
    ['+979123456789', 'international premium rate', 'blocked-prefix'],
    ['+5378123456', 'Cuba fixed line', 'country-not-allowed'],
    ['+33142685300', 'France fixed line', 'country-not-allowed'],
    ['+18762345678', 'Jamaica, +1 but not US or CA', 'country-not-allowed'],
    ['+18092345678', 'Dominican Republic, +1 but not US or CA', 'country-not-allowed'],
    ['+2693212345', 'Comoros', 'country-not-allowed'],
    ['+37322123456', 'Moldova', 'country-not-allowed'],
    ['14155550100', 'national form, no +', 'unparseable'],
    ['(415) 555-0100', 'national form', 'unparseable'],
    ['0014155550100', '00 instead of +', 'unparseable'],
    ['*6714155550100', 'caller ID suppression prefix', 'unparseable'],
    ['911', 'emergency short code', 'unparseable'],
    ['411', 'N11 code', 'unparseable'],
    ['client:alice', 'a client identity', 'unparseable'],
    ['sip:alice@example.com', 'a SIP URI', 'unparseable'],
    ['+1-800-FLOWERS', 'vanity letters', 'unparseable'],
    ['+14155550100<Dial>', 'XML metacharacters', 'unparseable'],
    ['+12345678901234567', '17 digits', 'unparseable'],
    ['', 'empty', 'unparseable'],
    ['+1415', 'too short', 'unparseable'],
  ])('refuses %s (%s) as %s', (input, _what, reason) => {
    const decision = evaluateNumberPolicy(input, DEFAULT_NUMBER_POLICY);
    expect(decision).toMatchObject({ allowed: false, reason });
    if (!decision.allowed) {
      expect(decision.detail.length).toBeGreaterThan(0);
      expect(decision.spoken).toMatch(/^[A-Z][^0-9<>&]*\.$/);
    }
  });

  it.each([
    ['+14155552671', 'US fixed or mobile'],
    ['+1 (212) 555-1234', 'US, punctuated'],
    ['+16135550123', 'Canada'],
    ['+14165550100', 'Canada, fictional line'],
    ['+18005551234', 'US toll-free'],
    ['+442079460000', 'UK London fixed line'],
    ['+44 7400 123456', 'UK mobile'],
    ['+448001234567', 'UK freephone'],
  ])('allows %s (%s)', (input) => {
    const decision = evaluateNumberPolicy(input, DEFAULT_NUMBER_POLICY);
    expect(decision).toEqual({ allowed: true, e164: input.replace(/[^\d+]/g, '') });
  });

  it.each(readSandboxNumbers())('allows sandbox number %s, which the simulated network dials', (number) => {
    expect(evaluateNumberPolicy(number, DEFAULT_NUMBER_POLICY)).toEqual({ allowed: true, e164: number });
  });

  it('names the blocked prefix, type and country in the detail', () => {
    expect(evaluateNumberPolicy('+19005550100', DEFAULT_NUMBER_POLICY)).toMatchObject({ detail: 'prefix +1900 is blocked' });
    expect(evaluateNumberPolicy('+447012345678', DEFAULT_NUMBER_POLICY)).toMatchObject({
      detail: 'type PERSONAL_NUMBER is blocked',
    });
    expect(evaluateNumberPolicy('+5378123456', DEFAULT_NUMBER_POLICY)).toMatchObject({ detail: 'country CU is not allowed' });
  });

  it('never throws and never allows anything that is not E.164, for 3,000 random strings', () => {
    let state = 7;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = '+0123456789 -().\u0000\u001fabc:<>&\u00a0\ud800\u{1f4de}';
    const characters = Array.from(alphabet);
    for (let i = 0; i < 3000; i++) {
      let input = i % 3 === 0 ? '+1' : '';
      const length = Math.floor(next() * 20);
      for (let j = 0; j < length; j++) input += characters[Math.floor(next() * characters.length)];
      const decision = evaluateNumberPolicy(input, DEFAULT_NUMBER_POLICY);
      if (decision.allowed) expect(decision.e164).toMatch(/^\+1\d{10}$|^\+44\d{9,10}$/);
      else expect(decision.spoken.length).toBeGreaterThan(0);
    }
  });
});

describe('evaluateNumberPolicy order and options', () => {
  const openPolicy: NumberPolicy = { allowedCountries: ['US', 'GB', 'CU', 'FR'], blockedTypes: [], blockedPrefixes: [] };

  it('lets the same numbers through when nothing is blocked, proving each refusal comes from the policy', () => {
    expect(evaluateNumberPolicy('+19005550100', openPolicy)).toMatchObject({ allowed: true });
    expect(evaluateNumberPolicy('+447012345678', openPolicy)).toMatchObject({ allowed: true });
    expect(evaluateNumberPolicy('+5378123456', openPolicy)).toMatchObject({ allowed: true });
  });

  it('checks the blocked prefix before the type, and the type before the country', () => {
    const strict: NumberPolicy = { allowedCountries: [], blockedTypes: ['PREMIUM_RATE'], blockedPrefixes: ['+1900'] };
    expect(evaluateNumberPolicy('+19005550100', strict)).toMatchObject({ reason: 'blocked-prefix' });
    expect(evaluateNumberPolicy('+449098790000', strict)).toMatchObject({ reason: 'blocked-type' });
    expect(evaluateNumberPolicy('+14155550100', strict)).toMatchObject({ reason: 'country-not-allowed' });
  });

  it('refuses a shared-cost number by type', () => {
    const policy: NumberPolicy = { ...openPolicy, blockedTypes: ['SHARED_COST'] };
    expect(evaluateNumberPolicy('+33810123456', policy)).toMatchObject({
      allowed: false,
      reason: 'blocked-type',
      detail: 'type SHARED_COST is blocked',
    });
  });

  it('widens the country check with allowedPrefixes, without overriding blocks', () => {
    const policy: NumberPolicy = {
      allowedCountries: ['US'],
      blockedTypes: ['PREMIUM_RATE'],
      blockedPrefixes: ['+3389'],
      allowedPrefixes: ['+33'],
    };
    expect(evaluateNumberPolicy('+33142685300', policy)).toEqual({ allowed: true, e164: '+33142685300' });
    expect(evaluateNumberPolicy('+33892123456', policy)).toMatchObject({ reason: 'blocked-prefix' });
    expect(evaluateNumberPolicy('+442079460000', policy)).toMatchObject({ reason: 'country-not-allowed' });
  });

  it('refuses non-geographic numbers unless a prefix allows them', () => {
    const policy: NumberPolicy = { allowedCountries: ['US'], blockedTypes: [], blockedPrefixes: [] };
    expect(evaluateNumberPolicy('+881612345678', policy)).toMatchObject({
      reason: 'country-not-allowed',
      detail: 'country non-geographic is not allowed',
    });
    expect(evaluateNumberPolicy('+881612345678', { ...policy, allowedPrefixes: ['+8816'] })).toMatchObject({
      allowed: true,
    });
  });
});

describe('parseNumberPolicy', () => {
  it('keeps every default when nothing is set, or set blank', () => {
    expect(parseNumberPolicy({})).toEqual(DEFAULT_NUMBER_POLICY);
    expect(parseNumberPolicy({ allowedCountries: ' ', blockedPrefixes: '', blockedTypes: ' , ' })).toEqual(
      DEFAULT_NUMBER_POLICY,
    );
  });

  it('reads comma lists, trimming, normalising case and punctuation, dropping duplicates', () => {
    expect(
      parseNumberPolicy({
        allowedCountries: ' us, ca ,GB,ie,US',
        blockedPrefixes: '+1900, +44 9 ,+1-976',
        blockedTypes: 'premium_rate, shared-cost,UAN',
      }),
    ).toEqual({
      allowedCountries: ['US', 'CA', 'GB', 'IE'],
      blockedPrefixes: ['+1900', '+449', '+1976'],
      blockedTypes: ['PREMIUM_RATE', 'SHARED_COST', 'UAN'],
    });
  });

  it('empties a list with "none"', () => {
    expect(parseNumberPolicy({ blockedPrefixes: 'none', blockedTypes: 'NONE' })).toEqual({
      allowedCountries: DEFAULT_NUMBER_POLICY.allowedCountries,
      blockedPrefixes: [],
      blockedTypes: [],
    });
  });

  it.each([
    [{ allowedCountries: 'US,XX' }, /allowedCountries: "XX"/],
    [{ allowedCountries: 'USA' }, /allowedCountries: "USA"/],
    [{ allowedCountries: 'U1' }, /allowedCountries: "U1"/],
    [{ blockedPrefixes: '1900' }, /blockedPrefixes: "1900"/],
    [{ blockedPrefixes: '+0900' }, /blockedPrefixes: "\+0900"/],
    [{ blockedPrefixes: '+1900x' }, /blockedPrefixes: "\+1900x"/],
    [{ blockedPrefixes: '+1234567890123456' }, /blockedPrefixes: "\+1234567890123456"/],
    [{ blockedTypes: 'PREMIUM' }, /blockedTypes: "PREMIUM"/],
    [{ blockedTypes: 'premium_rate;shared_cost' }, /blockedTypes: "premium_rate;shared_cost"/],
    [{ blockedTypes: 'none,PREMIUM_RATE' }, /blockedTypes: "none"/],
  ])('throws for %j, naming the bad value', (env, message) => {
    expect(() => parseNumberPolicy(env)).toThrow(message);
  });

  it('documents defaults that block what the brief names', () => {
    expect(DEFAULT_NUMBER_POLICY.allowedCountries).toEqual(['US', 'CA', 'GB']);
    expect(DEFAULT_BLOCKED_NUMBER_TYPES).toEqual(
      expect.arrayContaining(['PREMIUM_RATE', 'SHARED_COST', 'PERSONAL_NUMBER', 'UAN', 'VOICEMAIL']),
    );
    expect(DEFAULT_BLOCKED_PREFIXES).toEqual(expect.arrayContaining(['+1900', '+1976', '+881', '+882', '+883', '+979']));
  });
});
