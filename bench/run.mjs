#!/usr/bin/env node
// `npm run bench`: builds what the benchmarks measure, then runs each and prints its figures. Nothing is asserted.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' }).status ?? 1;

if (run(join(root, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '-p', 'api', 'softphone', 'voice-sandbox', '--outputStyle=static']) !== 0) {
  process.exit(1);
}
// Arguments after the script's path; the client reliability run takes its quick mode here (--long by hand).
const benches = [
  ['bench/api/run.mjs'],
  // Issue 15 items 2 and 3: RSS and V8 heap idle and through a load, and cold start to a verified token, on both engines.
  ['bench/api/memory.mjs'],
  ['bench/bundle-size.mjs'],
  ['bench/e2e/run.mjs'],
  // Issue 10 item 9: webhook corpus, fuzz, orderings, caps (api.mjs); process and database faults (api-faults.mjs);
  // the real SDK through media outages, sandbox kills and a token soak (client.mjs).
  ['bench/reliability/api.mjs'],
  ['bench/reliability/api-faults.mjs'],
  ['bench/reliability/client.mjs', '--quick'],
  // Issue 13 item 5: the floor's live-event fan-out on two instances (Redis + Postgres), beside a bare relay.
  ['bench/floor/run.mjs'],
  // Issue 14 item 3: the Insights report on 10 000 generated calls (PGlite and Postgres), beside a constant-JSON server and the bare SQL scan.
  ['bench/insights/run.mjs'],
  // Issue 15 item 5: how many agents (tokens every 60 s, presence every 5 s) one API carries beside 50 calls/s of webhooks, and a bare server.
  ['bench/api/scale.mjs'],
];
let failed = 0;
for (const [bench, ...args] of benches) {
  if (!existsSync(join(root, bench))) continue;
  console.log(`\n=== ${[bench, ...args].join(' ')}`);
  if (run(process.execPath, [bench, ...args]) !== 0) failed++;
}
process.exit(failed ? 1 : 0);
