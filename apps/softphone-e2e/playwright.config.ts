import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tools/stack/chromium.mjs';

/**
 * Each run writes under a folder of its own (the time it started): a run empties its output folder as it
 * starts, and in a shared checkout a second run must not delete the first one's traces under it. The runner
 * sets it once; its worker processes inherit it through the environment.
 */
const RUN_FOLDER = (process.env['SB_E2E_RUN_FOLDER'] ??= new Date().toISOString().replace(/[:.]/g, '-'));

/**
 * The softphone end to end: the real Voice SDK in Debian's Chromium against the voice sandbox and the API.
 * Stacks and browsers are per worker (src/support/fixtures.ts); one worker, as the machines have two cores
 * and each stack is two Node processes beside Chromium.
 */
export default defineConfig({
  testDir: './src/specs',
  testMatch: '**/*.e2e-spec.ts',
  // Traces, screenshots and attachments of failed tests; under dist/ so git and the Nx inputs ignore them.
  outputDir: join(__dirname, '../../dist/apps/softphone-e2e/test-results', RUN_FOLDER),
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 120_000,
  reporter: [['list']],
  // tools/stack is plain ESM shared with npm start and bench/: Node loads it as is (Playwright's TypeScript
  // transform would turn it into CommonJS, which an .mjs file cannot be).
  build: { external: ['**/tools/stack/**'] },
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] },
    ignoreHTTPSErrors: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // Playwright's library defaults, which these specs were written against; the test timeout bounds the rest.
    actionTimeout: 30_000,
    navigationTimeout: 30_000,
  },
});
