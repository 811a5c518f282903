import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The simulated network's numbers, read from shared-sandbox-defaults' source: a util lib may not
 * import a model lib (STYLE.md §2.3), yet these must stay dialable whenever that list changes.
 * Test-only (excluded from the library build).
 */
export function readSandboxNumbers(): string[] {
  const source = readFileSync(join(__dirname, '../../../sandbox-defaults/src/lib/sandbox-defaults.ts'), 'utf8');
  const block = /export const SANDBOX_NUMBERS = \{([\s\S]*?)\} as const/.exec(source)?.[1] ?? '';
  return Array.from(block.matchAll(/'(\+\d+)'/g), (match) => match[1]);
}
