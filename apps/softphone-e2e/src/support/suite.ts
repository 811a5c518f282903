import { Browser, chromium } from 'playwright-core';
import { RunningStack, sandboxClient } from './stack';

/** The suite-wide browser and stack started by global-setup.ts. */
export async function connectSuite(): Promise<{ browser: Browser; stack: Pick<RunningStack, 'apiUrl' | 'sandboxUrl' | 'sandboxHost' | 'sandbox'> }> {
  const ws = process.env['SB_E2E_BROWSER_WS'];
  const apiUrl = process.env['SB_E2E_API_URL'];
  const sandboxPort = Number(process.env['SB_E2E_SANDBOX_PORT']);
  if (!ws || !apiUrl || !sandboxPort) throw new Error('Run the e2e specs through `nx run softphone-e2e:e2e` (global setup starts the stack).');
  const browser = await chromium.connect(ws);
  const sandboxHost = `127.0.0.1:${sandboxPort}`;
  return { browser, stack: { apiUrl, sandboxUrl: `https://${sandboxHost}`, sandboxHost, sandbox: sandboxClient(sandboxPort) } };
}
