import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/**
 * Node arguments and environment that run one of the workspace's entry points (e.g. apps/api/src/main.ts)
 * from source with ts-node: tests run beside lint and build, so dist may be missing or stale, and an app
 * cannot import another app. Only the module format differs from the webpack bundle (CommonJS, paths
 * resolved by tsconfig-paths).
 */
const TS_NODE_REQUIRES = ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register'];
const TS_NODE_ENV = {
  TS_NODE_PROJECT: join(WORKSPACE_ROOT, 'tsconfig.base.json'),
  TS_NODE_TRANSPILE_ONLY: 'true',
  TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: 'commonjs', moduleResolution: 'node10' }),
};

/**
 * Spawns `entry` (a path from the workspace root) with exactly `env` plus PATH and HOME: nothing else of this
 * process's environment, whose TWILIO_* or NODE_OPTIONS are not the child's. stdout and stderr are piped.
 */
export function spawnFromSource(entry: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...TS_NODE_REQUIRES, entry], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NODE_OPTIONS: '', ...TS_NODE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
