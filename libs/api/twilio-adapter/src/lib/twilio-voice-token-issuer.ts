import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { VoiceTokenIssuer } from '@switchboard/api-data-access-telephony';
// The jwt module, not the package index (which loads the REST client: twilio-rest.ts says why not).
import AccessToken from 'twilio/lib/jwt/AccessToken';

/**
 * Signs Voice access tokens with the API key. The secret is handed to jsonwebtoken as a KeyObject made
 * once: with a string secret jsonwebtoken 9 first tries to parse it as a private key, which costs ~50×
 * per token (research/performance.md, trap 1). The tokens are byte-for-byte the same.
 */
@Injectable()
export class TwilioVoiceTokenIssuer extends VoiceTokenIssuer {
  private readonly secretKey: KeyObject;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
    this.secretKey = createSecretKey(Buffer.from(config.twilio.apiKeySecret, 'utf8'));
  }

  issue(identity: string): { token: string; expiresAt: Date } {
    const { accountSid, apiKeySid, twimlAppSid } = this.config.twilio;
    // AccessToken types its secret as string; jsonwebtoken accepts a KeyObject for HS256.
    const accessToken = new AccessToken(accountSid, apiKeySid, this.secretKey as unknown as string, {
      identity,
      ttl: this.config.voiceToken.ttlSeconds,
    });
    accessToken.addGrant(new AccessToken.VoiceGrant({ outgoingApplicationSid: twimlAppSid, incomingAllow: true }));
    // twilio and jsonwebtoken each read the clock while signing; exp is jsonwebtoken's whole second + ttl.
    // When the second is the same before and after, that is it; only across a second boundary (rare)
    // is the token read back, which costs a decode per token otherwise.
    const secondBefore = Math.floor(Date.now() / 1000);
    const token = accessToken.toJwt();
    const secondAfter = Math.floor(Date.now() / 1000);
    const exp = secondBefore === secondAfter ? secondBefore + this.config.voiceToken.ttlSeconds : readExp(token);
    return { token, expiresAt: new Date(exp * 1000) };
  }
}

function readExp(token: string): number {
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { exp: number };
  return payload.exp;
}
