import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './browser';
import { startStack } from './stack';

/**
 * One browser and one product stack for the whole suite (runInBand: globals are shared with the specs).
 * Specs that need other settings (short token TTL) start their own stack with startStack().
 */
export default async function globalSetup(): Promise<void> {
  const browserServer = await chromium.launchServer({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const stack = await startStack();
  Object.assign(globalThis, { __sbBrowserServer: browserServer, __sbStack: stack });
  process.env['SB_E2E_BROWSER_WS'] = browserServer.wsEndpoint();
  process.env['SB_E2E_API_URL'] = stack.apiUrl;
  process.env['SB_E2E_SANDBOX_PORT'] = new URL(stack.sandboxUrl).port;
}
