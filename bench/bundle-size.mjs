#!/usr/bin/env node
// Prints the softphone's initial and total JavaScript, raw and gzip, from the production build, and the
// initial set and largest chunk as Angular's budgets count them.
// The initial set is what index.html loads (scripts and modulepreloads); the Voice SDK must not be in it.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? 'dist/apps/softphone/browser';
if (!existsSync(join(dir, 'index.html'))) {
  console.error(`No build at ${dir}: run \`npx nx build softphone\` first.`);
  process.exit(1);
}
const html = readFileSync(join(dir, 'index.html'), 'utf8');
const initial = new Set([...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1].replace(/^\.?\//, '')));
const all = readdirSync(dir).filter((f) => f.endsWith('.js'));
const size = (files) =>
  files.reduce(
    (acc, f) => {
      const bytes = readFileSync(join(dir, f));
      return { raw: acc.raw + bytes.length, gzip: acc.gzip + gzipSync(bytes, { level: 9 }).length };
    },
    { raw: 0, gzip: 0 },
  );
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const sdkChunks = all.filter((f) => /PStream\b/.test(readFileSync(join(dir, f), 'utf8')));
const init = size([...initial].filter((f) => all.includes(f)));
const total = size(all);
console.log('Softphone bundle (production build)');
console.log(`  initial JS: ${kb(init.raw)} raw, ${kb(init.gzip)} gzip (${initial.size} files)`);
console.log(`  total JS:   ${kb(total.raw)} raw, ${kb(total.gzip)} gzip (${all.length} files)`);
// Angular's budgets count kB as 1000 bytes and the initial set with its CSS; printed that way beside the budget.
const css = [...new Set([...html.matchAll(/href="([^"]+\.css)"/g)].map((m) => m[1].replace(/^\.?\//, '')))].filter((f) => existsSync(join(dir, f)));
const initialWithCss = init.raw + css.reduce((n, f) => n + readFileSync(join(dir, f)).length, 0);
const largest = all.map((f) => ({ f, bytes: readFileSync(join(dir, f)).length })).sort((a, b) => b.bytes - a.bytes)[0];
console.log(`  initial JS + CSS: ${(initialWithCss / 1000).toFixed(1)} kB (Angular's count; budget warning 450 kB)`);
console.log(`  largest chunk: ${largest?.f} ${((largest?.bytes ?? 0) / 1000).toFixed(1)} kB (budget warning 700 kB)`);
console.log(`  Voice SDK chunk(s): ${sdkChunks.join(', ') || 'none found'}; in the initial set: ${sdkChunks.some((f) => initial.has(f)) ? 'YES' : 'no'}`);
