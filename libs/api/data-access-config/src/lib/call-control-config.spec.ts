import { loadAppConfig } from './app-config';
import { TWILIO_ENV, problemsOf } from './config-spec-helpers';

describe('HOLD_MUSIC_URL', () => {
  it("defaults to none: the provider's own hold music (the sandbox's built-in loop), in both modes", () => {
    expect(loadAppConfig({}).calls.holdMusicUrl).toBeNull();
    expect(loadAppConfig({ HOLD_MUSIC_URL: '  ' }).calls.holdMusicUrl).toBeNull();
    expect(loadAppConfig(TWILIO_ENV).calls.holdMusicUrl).toBeNull();
  });

  it('takes an absolute http(s) URL of audio or TwiML, a query string included', () => {
    expect(loadAppConfig({ HOLD_MUSIC_URL: 'https://cdn.example.com/hold/jazz.mp3' }).calls.holdMusicUrl).toBe('https://cdn.example.com/hold/jazz.mp3');
    expect(loadAppConfig({ ...TWILIO_ENV, HOLD_MUSIC_URL: 'http://music.example.com/hold.xml?x-sig=a%2Fb' }).calls.holdMusicUrl)
      .toBe('http://music.example.com/hold.xml?x-sig=a%2Fb');
  });

  it.each([
    'hold.mp3', '/static/hold.mp3', 'ftp://example.com/hold.mp3', 'javascript:alert(1)', 'https://user:pw@example.com/hold.mp3',
    'https://example.com/hold.mp3#t=10', 'https://exa mple.com/hold.mp3',
  ])('refuses %s, naming the variable', (value) => {
    expect(problemsOf({ HOLD_MUSIC_URL: value })).toEqual([
      'HOLD_MUSIC_URL must be an absolute http(s) URL of audio or TwiML, without credentials or fragment',
    ]);
  });
});

describe('CUSTOMER_CALL_ANCHOR', () => {
  it('defaults to conference (every customer call can be held, transferred and rescued), in both modes and when blank', () => {
    expect(loadAppConfig({}).calls.customerCallAnchor).toBe('conference');
    expect(loadAppConfig({ CUSTOMER_CALL_ANCHOR: '  ' }).calls.customerCallAnchor).toBe('conference');
    expect(loadAppConfig(TWILIO_ENV).calls.customerCallAnchor).toBe('conference');
  });

  it('takes direct or conference', () => {
    expect(loadAppConfig({ CUSTOMER_CALL_ANCHOR: 'conference' }).calls.customerCallAnchor).toBe('conference');
    expect(loadAppConfig({ ...TWILIO_ENV, CUSTOMER_CALL_ANCHOR: ' conference ' }).calls.customerCallAnchor).toBe('conference');
    expect(loadAppConfig({ CUSTOMER_CALL_ANCHOR: 'direct' }).calls.customerCallAnchor).toBe('direct');
  });

  it.each(['Conference', 'queue', 'true', 'conference,direct'])('refuses %s, naming the variable and its values', (value) => {
    expect(problemsOf({ CUSTOMER_CALL_ANCHOR: value })).toEqual(['CUSTOMER_CALL_ANCHOR must be direct or conference']);
  });
});
