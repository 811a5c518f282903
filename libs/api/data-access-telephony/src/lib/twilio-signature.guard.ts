import { applyDecorators, CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, Logger, UseGuards } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { Public } from '@switchboard/api-http-boundary';
import type { FastifyRequest } from 'fastify';
import { WebhookSignatureVerifier } from './ports';

/**
 * Verifies X-Twilio-Signature before anything else sees the request, with the auth token or, while
 * rotating, the secondary one. Twilio signed the public URL it
 * called, so the URL is PUBLIC_BASE_URL + the raw path and query, never Host or the scheme seen here
 * (behind a proxy they differ). Guards run before pipes, so the parameters are exactly as received.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  private readonly logger = new Logger('TwilioSignatureGuard');

  constructor(
    private readonly signatures: WebhookSignatureVerifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const signature = request.headers['x-twilio-signature'];
    const params = formParams(request.body);
    const url = `${this.config.publicBaseUrl}${request.url}`;
    if (typeof signature !== 'string' || signature.length === 0 || signature.length > 256 || params === null
        || !this.signingTokens().some((token) => this.signatures.isValid(token, signature, url, params))) {
      this.logger.warn(`Refused webhook ${request.method} ${request.url.split('?')[0]}: ${typeof signature !== 'string' ? 'missing' : 'invalid'} X-Twilio-Signature`);
      throw new ForbiddenException('X-Twilio-Signature is missing or does not match');
    }
    return true;
  }

  /**
   * The primary auth token, and while rotating (reliability W14) the secondary: Twilio signs with
   * whichever is its primary at that moment. Once TWILIO_AUTH_TOKEN_SECONDARY is unset (a restart),
   * its signatures are refused.
   */
  private signingTokens(): string[] {
    const { authToken, authTokenSecondary } = this.config.twilio;
    return authTokenSecondary === null ? [authToken] : [authToken, authTokenSecondary];
  }
}

/** Form parameters as received, or null when the body is not a form (Twilio only posts forms). */
function formParams(body: unknown): Record<string, string | string[]> | null {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) return null;
  const params: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') params[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) params[key] = value as string[];
    else return null;
  }
  return params;
}

/** Marks a controller or route as a Twilio webhook: no session, a valid signature instead. */
export const TwilioWebhook = () => applyDecorators(Public(), UseGuards(TwilioSignatureGuard));
