import { loadAppConfig } from '@switchboard/api-data-access-config';
import { TwilioVoiceTokenIssuer } from './twilio-voice-token-issuer';

const config = loadAppConfig({ VOICE_TOKEN_TTL_SECONDS: '900' });

function claimsOf(token: string): { iat: number; exp: number } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

describe('TwilioVoiceTokenIssuer expiresAt', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is the exp claim of the token it signed, computed from issue time and TTL', () => {
    jest.spyOn(Date, 'now').mockReturnValue(1_800_000_000_250);
    const { token, expiresAt } = new TwilioVoiceTokenIssuer(config).issue('alice');
    const claims = claimsOf(token);
    expect(claims.iat).toBe(1_800_000_000);
    expect(claims.exp).toBe(1_800_000_900);
    expect(expiresAt.getTime()).toBe(claims.exp * 1000);
  });

  it('is still the exp claim when the clock crosses a second while signing', () => {
    // Each clock read moves time 400 ms on, so the reads before, during and after signing straddle seconds.
    let now = 1_800_000_000_500;
    jest.spyOn(Date, 'now').mockImplementation(() => (now += 400));
    const issuer = new TwilioVoiceTokenIssuer(config);
    for (let i = 0; i < 5; i++) {
      const { token, expiresAt } = issuer.issue('alice');
      expect(expiresAt.getTime()).toBe(claimsOf(token).exp * 1000);
    }
  });
});
