import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { recentOutput, startStack, type RunningStack, type StackOptions } from '../../../../tools/stack/index.mjs';
import { signIn, waitForChip } from './softphone';

export { expect };
export type { RunningStack };
export type SandboxClient = RunningStack['sandbox'];

/** Settings a spec can give its stack (a short ring time, say); the shared stack runs with none. */
export type E2eStackOptions = Pick<StackOptions, 'apiEnv' | 'sandboxEnv'>;

/** One agent's browser profile (cookies, storage, Web Locks of its own) and its first tab. */
export interface Agent {
  readonly context: BrowserContext;
  readonly page: Page;
}

export interface NewAgentOptions {
  /** false: a profile where the page's microphone request is refused (needs a browser without fake media UI). */
  readonly grantMicrophone?: boolean;
}

/**
 * The browser contexts of one test. Each is watched for what fails the test (a request that left loopback,
 * an uncaught error in any of its pages); the ones the test opened itself are closed after the check.
 */
export class WatchedContexts {
  readonly nonLoopbackRequests: string[] = [];
  readonly uncaughtErrors: string[] = [];
  private readonly owned: BrowserContext[] = [];

  /** Watches every page the context has or opens later (a second tab included); `own`: close it after the test. */
  add(context: BrowserContext, { own }: { own: boolean }): void {
    if (own) this.owned.push(context);
    context.on('request', (request) => {
      if (!isLoopbackUrl(request.url())) this.nonLoopbackRequests.push(request.url());
    });
    context.on('weberror', (webError) => this.uncaughtErrors.push(String(webError.error())));
  }

  async closeOwned(): Promise<void> {
    for (const context of this.owned) await context.close();
  }
}

interface WorkerFixtures {
  /**
   * Settings for the worker's stack. A spec that needs other ones sets them with a top-level
   * `test.use({ stackOptions })`, which gives it a worker, and so a stack, of its own.
   */
  stackOptions: E2eStackOptions;
  /** The product as npm start runs it, on free ports and a fresh database; one per worker, shared by its specs. */
  stack: RunningStack;
}

interface TestFixtures {
  /** Fails the test if any of its pages requested something off loopback or threw an uncaught error. */
  watchedContexts: WatchedContexts;
  /** On failure, attaches what the API and the sandbox printed last to the report. */
  stackOutputOnFailure: void;
  /** Opens a fresh, watched browser profile for one agent; every profile opened is closed after the test. */
  newAgent: (options?: NewAgentOptions) => Promise<Agent>;
  /** newAgent, signed in through the sign-in page as `identity` and online (chip 'registered'). */
  signedInAgent: (identity: string) => Promise<Agent>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  stackOptions: [{}, { scope: 'worker', option: true }],
  stack: [
    async ({ stackOptions }, use) => {
      const stack = await startStack({
        apiEnv: stackOptions.apiEnv,
        // The specs break things on purpose (dropped sockets, packet loss) through the sandbox's fault routes.
        sandboxEnv: { SANDBOX_FAULTS: 'on', ...stackOptions.sandboxEnv },
      });
      await use(stack);
      await stack.stop();
    },
    // Two processes started one after the other, each given up to 120 s to be ready (tools/stack).
    { scope: 'worker', timeout: 300_000 },
  ],
  baseURL: async ({ stack }, use) => use(stack.apiUrl),

  watchedContexts: [
    // Needs no other fixture; Playwright reads a fixture's dependencies from this first parameter's pattern.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const contexts = new WatchedContexts();
      await use(contexts);
      // Soft, so the failure is on record before the contexts close: Playwright then keeps their traces.
      expect.soft(contexts.nonLoopbackRequests, 'requests that left loopback').toEqual([]);
      expect.soft(contexts.uncaughtErrors, 'uncaught errors in the pages').toEqual([]);
      await contexts.closeOwned();
    },
    { auto: true },
  ],
  stackOutputOnFailure: [
    async ({ stack }, use, testInfo) => {
      await use();
      if (testInfo.status === testInfo.expectedStatus) return;
      for (const [name, child] of Object.entries(stack.children)) {
        await testInfo.attach(`${name} output`, { body: recentOutput(child), contentType: 'text/plain' });
      }
    },
    { auto: true },
  ],
  context: async ({ context, watchedContexts }, use) => {
    watchedContexts.add(context, { own: false }); // Playwright closes its own context
    await use(context);
  },
  newAgent: async ({ browser, watchedContexts }, use) => {
    await use(async ({ grantMicrophone = true } = {}) => {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, permissions: grantMicrophone ? ['microphone'] : [] });
      watchedContexts.add(context, { own: true });
      return { context, page: await context.newPage() };
    });
  },
  signedInAgent: async ({ newAgent, stack }, use) => {
    await use(async (identity) => {
      const agent = await newAgent();
      await signIn(agent.page, stack.apiUrl, identity);
      await waitForChip(agent.page, 'registered');
      return agent;
    });
  },
});

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
