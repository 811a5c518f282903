import { Browser, BrowserContext, Page, chromium } from 'playwright-core';

/** Flags every browser test here needs: Debian's Chromium, fake media, loopback-only WebRTC, no phoning home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** What a page did that fails the suite: a request that left loopback, or an uncaught error. */
export interface PageWatch {
  readonly nonLoopbackRequests: string[];
  readonly uncaughtErrors: string[];
}

export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.protocol === 'about:') return true;
    host = parsed.hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function newAgentContext(
  browser: Browser,
  options: { grantMicrophone?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    permissions: options.grantMicrophone === false ? [] : ['microphone'],
  });
  const watch: PageWatch = { nonLoopbackRequests: [], uncaughtErrors: [] };
  context.on('request', (request) => {
    if (!isLoopbackUrl(request.url())) watch.nonLoopbackRequests.push(request.url());
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => watch.uncaughtErrors.push(String(error)));
  return { context, page, watch };
}
