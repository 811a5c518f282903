#!/usr/bin/env node
// API reliability figures (reliability.md figures 1, 2, 3, 5, 6, 13, 14): runs the Jest scenarios of
// apps/api/test/reliability at bench size (RELIABILITY_SIZE=bench: 10 000 fuzz cases, 5 corpus rounds,
// 10 × 50-way duplicate bursts, all 120 orderings …) and prints the figures they write. The specs
// assert the outcomes; nothing here judges timings. Postgres when TEST_DATABASE_URL is set, else PGlite.
//
//   node bench/reliability/api.mjs            (RELIABILITY_SEED=<n> for another fuzz seed)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const reportDir = mkdtempSync(join(tmpdir(), 'reliability-api-'));
const logFile = join(reportDir, 'jest.log');
const engine = process.env.TEST_DATABASE_URL ? `Postgres (TEST_DATABASE_URL=${redact(process.env.TEST_DATABASE_URL)})` : 'PGlite (embedded, in-process)';
const seed = process.env.RELIABILITY_SEED ?? '20261206';
const machineBefore = machine();

console.log(`API reliability scenarios at bench size on ${engine}; fuzz seed ${seed}`);
const started = Date.now();
// --runInBand: one scenario at a time, so none competes with another for the two cores.
const jest = spawnSync(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '-c', 'apps/api/jest.config.cjs', 'apps/api/test/reliability', '--runInBand', '--verbose'], {
  cwd: root,
  env: {
    ...process.env, RELIABILITY_SIZE: 'bench', RELIABILITY_REPORT: reportDir, RELIABILITY_SEED: seed,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim(), NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false',
  },
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
});
writeFileSync(logFile, `${jest.stdout ?? ''}\n${jest.stderr ?? ''}`);
const summary = `${jest.stderr ?? ''}`.split('\n').filter((line) => /^(PASS|FAIL)\s|^Tests:|^\s+[✓✕]/.test(line));

const ORDER = [['forged', 1], ['genuine', 2], ['fuzz', 3], ['duplicates', 5], ['orderings', 6], ['toll-fraud', 13], ['sign-in', 14], ['caps', 14]];
const reports = readdirSync(reportDir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(reportDir, f), 'utf8')));
const rows = [];
for (const [scenario, number] of ORDER) {
  for (const report of reports.filter((r) => r.scenario === scenario)) {
    for (const f of report.figures) rows.push([`#${number}`, f.figure, f.measured, f.target, f.detail ?? '']);
  }
}

console.log(`\ndate ${new Date().toISOString()}; machine: nproc ${machineBefore.nproc}, ${machineBefore.cpuModel}; Node ${process.version}`);
console.log(`load before ${machineBefore.load}, after ${machine().load}; scenarios took ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`database: ${engine}; fuzz seed ${seed} (replay: RELIABILITY_SEED=${seed})\n`);
printTable(['#', 'figure', 'measured', 'target'], rows.map((r) => r.slice(0, 4)));
const details = rows.filter((r) => r[4]);
if (details.length) {
  console.log('\ndetails');
  for (const [number, figure, , , detail] of details) console.log(`  ${number} ${figure}: ${detail}`);
}
const missing = ORDER.map(([s]) => s).filter((s) => !reports.some((r) => r.scenario === s));
if (missing.length) console.log(`\nscenarios that wrote no figures (failed before reporting?): ${missing.join(', ')}`);
console.log(`\nJest: ${summary.filter((l) => /^(FAIL|Tests:)/.test(l)).join(' | ') || 'no summary'}; full log ${logFile}`);
for (const line of summary.filter((l) => /✕/.test(l))) console.log(`  ${line.trim()}`);

process.exit(jest.status ?? 1);

function printTable(header, body) {
  const widths = header.map((h, i) => Math.min(i === 1 ? 78 : 40, Math.max(h.length, ...body.map((r) => String(r[i]).length))));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of body) console.log(line(r));
}

function machine() {
  const cpu = cpus();
  return { nproc: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', load: loadavg().map((l) => l.toFixed(2)).join(' ') };
}

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
