import { Controller, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { TwilioWebhook } from '@switchboard/api-data-access-telephony';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';

export const RESCUE_HOLD_MESSAGE = 'Your agent was disconnected. Please hold while we reconnect you.';

/**
 * Twilio's own hold music, used when HOLD_MUSIC_URL is unset: the default `waitUrl` of a conference (a
 * TwiML twimlet that plays and loops its classical bucket), so a rescued caller hears what any held caller
 * hears. The voice sandbox fetches nothing off the machine; it answers this twimlet with its built-in music loop.
 */
export const PROVIDER_HOLD_MUSIC_TWIML = 'https://twimlets.com/holdmusic?Bucket=com.twilio.music.classical';

/**
 * The `holdUrl` of a customer whose agent dropped out: the message once, then hold music until the agent
 * rejoins or the window passes (the hold ends there, or the call is redirected). HOLD_MUSIC_URL is played
 * as audio (`<Play loop="0">`); unset, the provider's default music document takes over (`<Redirect>`).
 */
export function rescueHoldTwiml(config: AppConfig): string {
  const music = config.calls.holdMusicUrl === null
    ? `<Redirect method="GET">${xml(PROVIDER_HOLD_MUSIC_TWIML)}</Redirect>`
    : `<Play loop="0">${xml(config.calls.holdMusicUrl)}</Play>`;
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${xml(RESCUE_HOLD_MESSAGE)}</Say>${music}</Response>`;
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Signed like every webhook; the answer depends on configuration only, so it reads nothing from the request. */
@ApiExcludeController()
@Controller()
@TwilioWebhook()
export class RescueHoldController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Post(WEBHOOK_ROUTES.rescueHold)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  rescueHold(): string {
    return rescueHoldTwiml(this.config);
  }
}
