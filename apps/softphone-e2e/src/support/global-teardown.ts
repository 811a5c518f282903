import type { BrowserServer } from 'playwright-core';
import type { RunningStack } from './stack';

export default async function globalTeardown(): Promise<void> {
  const globals = globalThis as { __sbBrowserServer?: BrowserServer; __sbStack?: RunningStack };
  await globals.__sbStack?.stop();
  await globals.__sbBrowserServer?.close();
}
