import { decodeParamsFromSdk, encodeParamsForSdk } from './client-params';

/** The Voice SDK 2.x's own parsing of an incoming `Params` (util.ts `queryToJson`), restated to test against. */
function sdkCustomParameters(params: string): Record<string, string> {
  return params.split('&').reduce<Record<string, string>>((output, pair) => {
    const parts = pair.split('=');
    const value = decodeURIComponent((parts[1] || '').replace(/\+/g, '%20'));
    if (parts[0]) output[parts[0]] = value;
    return output;
  }, {});
}

/** The SDK's encoding of `connect({ params })` (call.ts). */
const sdkConnectParams = (params: Record<string, string>): string =>
  Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

const awkward: Record<string, string> = {
  'custom + param': '我不吃蛋',
  foobar: 'some + value',
  'two words': 'a&b=c 100% + 1',
  'naïve %41 ключ': 'é ü %2B ✓',
  plain: '',
};

describe('custom parameters between the sandbox and the SDK', () => {
  it('names reach the SDK raw and values decoded, whatever they hold but & and = in a name', () => {
    expect(sdkCustomParameters(encodeParamsForSdk(awkward))).toEqual(awkward);
  });

  it('the wire form is Twilio’s: raw names, percent-encoded values', () => {
    expect(encodeParamsForSdk({ 'custom + param': 'some + value', ticket: 'T-42' })).toBe('custom + param=some%20%2B%20value&ticket=T-42');
  });

  it('& and = in a name are escaped so they cannot split or forge other parameters', () => {
    const encoded = encodeParamsForSdk({ 'a&role=admin': 'x', role: 'agent' });
    expect(sdkCustomParameters(encoded)).toEqual({ 'a%26role%3Dadmin': 'x', role: 'agent' });
  });

  it('what connect({ params }) sends decodes to the same names and values', () => {
    expect(decodeParamsFromSdk(sdkConnectParams(awkward))).toEqual(awkward);
    expect(decodeParamsFromSdk(sdkConnectParams({ 'a&b=c': 'd=e&f' }))).toEqual({ 'a&b=c': 'd=e&f' });
    expect(decodeParamsFromSdk(undefined)).toEqual({});
  });
});
