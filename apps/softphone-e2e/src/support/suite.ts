import { Browser, BrowserContext, chromium } from 'playwright-core';
import { newAgentContext, PageWatch } from './browser';
import { RunningStack, sandboxClient, startStack, StackOptions } from './stack';

/** What a spec reaches of a stack: the shared one, or a private one started for settings that differ. */
export type SuiteStack = Pick<RunningStack, 'apiUrl' | 'sandboxUrl' | 'sandboxHost' | 'sandbox'>;

/** The suite-wide browser and stack started by global-setup.ts. */
export async function connectSuite(): Promise<{ browser: Browser; stack: SuiteStack }> {
  const ws = process.env['SB_E2E_BROWSER_WS'];
  const apiUrl = process.env['SB_E2E_API_URL'];
  const sandboxPort = Number(process.env['SB_E2E_SANDBOX_PORT']);
  if (!ws || !apiUrl || !sandboxPort) throw new Error('Run the e2e specs through `nx run softphone-e2e:e2e` (global setup starts the stack).');
  const browser = await chromium.connect(ws);
  const sandboxHost = `127.0.0.1:${sandboxPort}`;
  return { browser, stack: { apiUrl, sandboxUrl: `https://${sandboxHost}`, sandboxHost, sandbox: sandboxClient(sandboxPort) } };
}

export interface SuiteOptions {
  /** Start a private stack with these settings (e.g. a short dial timeout) instead of using the shared one. */
  readonly privateStack?: StackOptions;
  /** Use this browser instead of the shared one (e.g. one launched without the fake media UI). */
  readonly launchBrowser?: () => Promise<Browser>;
}

/** A spec's view of the suite, usable from its tests (not at describe time: it is filled in beforeAll). */
export interface Suite {
  readonly browser: Browser;
  readonly stack: SuiteStack;
  readonly apiUrl: string;
  readonly sandbox: SuiteStack['sandbox'];
  /** A fresh browser context (one agent's browser profile) whose page is watched and which is closed after the spec. */
  newAgent(options?: { grantMicrophone?: boolean }): ReturnType<typeof newAgentContext>;
  /** Watches a page the spec opened itself (a second tab, say) like the agents' own. */
  watch(watch: PageWatch): void;
}

/**
 * The preamble every spec shares: connect to the suite's browser and stack before the tests; after
 * them close what the spec opened, and fail the spec if any watched page made a request that left
 * loopback or threw an uncaught error.
 */
export function useSuite(options: SuiteOptions = {}): Suite {
  let browser: Browser | undefined;
  let stack: SuiteStack | undefined;
  let privateStack: RunningStack | undefined;
  const contexts: BrowserContext[] = [];
  const watches: PageWatch[] = [];
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The suite's ${what} is not ready: use it inside a test or a hook, not at describe time.`);
    return value;
  };

  beforeAll(async () => {
    const shared = await connectSuite();
    if (options.launchBrowser) {
      await shared.browser.close();
      browser = await options.launchBrowser();
    } else {
      browser = shared.browser;
    }
    if (options.privateStack) privateStack = await startStack(options.privateStack);
    stack = privateStack ?? shared.stack;
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await privateStack?.stop();
    for (const watch of watches) {
      expect(watch.nonLoopbackRequests).toEqual([]);
      expect(watch.uncaughtErrors).toEqual([]);
    }
  });

  return {
    get browser() { return ready(browser, 'browser'); },
    get stack() { return ready(stack, 'stack'); },
    get apiUrl() { return ready(stack, 'stack').apiUrl; },
    get sandbox() { return ready(stack, 'stack').sandbox; },
    async newAgent(agentOptions = {}) {
      const agent = await newAgentContext(ready(browser, 'browser'), agentOptions);
      contexts.push(agent.context);
      watches.push(agent.watch);
      return agent;
    },
    watch(watch) {
      watches.push(watch);
    },
  };
}
