import type { ClientPlatform } from '@switchboard/shared-contracts';
import Bowser from 'bowser';

/**
 * Browser, version and OS from the request's User-Agent (never from the body, so a record cannot claim
 * another platform). The major.minor version only: Insights groups by it, and the full build number
 * would split one browser release into many rows.
 */
export function platformOf(userAgent: string | undefined): ClientPlatform {
  if (!userAgent) return { browser: null, browserVersion: null, os: null };
  const parsed = Bowser.parse(userAgent.slice(0, 512));
  const version = parsed.browser.version?.split('.').slice(0, 2).join('.') ?? null;
  return { browser: parsed.browser.name ?? null, browserVersion: version || null, os: parsed.os.name ?? null };
}
