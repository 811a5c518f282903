import { ForbiddenException, type ExecutionContext } from '@nestjs/common';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { WebhookSignatureVerifier } from './ports';
import { TwilioSignatureGuard } from './twilio-signature.guard';

/** Records what the guard asks; accepts one known signature, or `signed-with:<token>` for that token. */
class RecordingVerifier extends WebhookSignatureVerifier {
  readonly calls: Array<{ url: string; params: unknown }> = [];
  readonly tokensTried: string[] = [];
  isValid(authToken: string, signature: string, url: string, params: Readonly<Record<string, string | string[]>>): boolean {
    this.calls.push({ url, params });
    this.tokensTried.push(authToken);
    return signature === 'good' || signature === `signed-with:${authToken}`;
  }
}

const contextFor = (request: unknown) => ({ switchToHttp: () => ({ getRequest: () => request }) }) as unknown as ExecutionContext;

describe('TwilioSignatureGuard', () => {
  const config = loadAppConfig({ PUBLIC_BASE_URL: 'https://public.test' });

  it('checks the public URL with the raw path and query, and the params as received', () => {
    const verifier = new RecordingVerifier();
    const guard = new TwilioSignatureGuard(verifier, config);
    const request = { method: 'POST', url: '/webhooks/voice/status?x=%27', headers: { 'x-twilio-signature': 'good', host: 'internal:3000' }, body: { CallSid: 'CA1', Many: ['a', 'b'] } };
    expect(guard.canActivate(contextFor(request))).toBe(true);
    expect(verifier.calls).toEqual([{ url: 'https://public.test/webhooks/voice/status?x=%27', params: { CallSid: 'CA1', Many: ['a', 'b'] } }]);
  });

  it('refuses missing signatures and non-form bodies with 403 before verifying', () => {
    const verifier = new RecordingVerifier();
    const guard = new TwilioSignatureGuard(verifier, config);
    expect(() => guard.canActivate(contextFor({ method: 'POST', url: '/w', headers: {}, body: {} }))).toThrow(ForbiddenException);
    expect(() => guard.canActivate(contextFor({ method: 'POST', url: '/w', headers: { 'x-twilio-signature': 'good' }, body: 'text' }))).toThrow(ForbiddenException);
    expect(() => guard.canActivate(contextFor({ method: 'POST', url: '/w', headers: { 'x-twilio-signature': 'good' }, body: { a: { nested: 1 } } }))).toThrow(ForbiddenException);
    expect(verifier.calls).toEqual([]);
  });

  it('accepts signatures of the secondary auth token only while TWILIO_AUTH_TOKEN_SECONDARY is set', () => {
    const primary = 'p'.repeat(32);
    const secondary = 's'.repeat(32);
    const request = (signature: string) => ({ method: 'POST', url: '/w', headers: { 'x-twilio-signature': signature }, body: {} });
    const withTokens = (authTokenSecondary: string | null) => ({ ...config, twilio: { ...config.twilio, authToken: primary, authTokenSecondary } });
    const rotating = new TwilioSignatureGuard(new RecordingVerifier(), withTokens(secondary));
    expect(rotating.canActivate(contextFor(request(`signed-with:${primary}`)))).toBe(true);
    expect(rotating.canActivate(contextFor(request(`signed-with:${secondary}`)))).toBe(true);
    expect(() => rotating.canActivate(contextFor(request(`signed-with:${'o'.repeat(32)}`)))).toThrow(ForbiddenException);
    const verifier = new RecordingVerifier();
    const rotated = new TwilioSignatureGuard(verifier, withTokens(null));
    expect(() => rotated.canActivate(contextFor(request(`signed-with:${secondary}`)))).toThrow(ForbiddenException);
    expect(verifier.tokensTried).toEqual([primary]);
  });
});
