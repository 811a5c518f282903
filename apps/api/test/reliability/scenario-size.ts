import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINES } from '../support';

/**
 * One set of scenarios, two sizes: `test` (the fast Jest run inside `npm test`) and `bench`
 * (bench/reliability/api.mjs sets RELIABILITY_SIZE=bench and prints the figures the specs write to
 * RELIABILITY_REPORT, a directory). The specs assert outcomes at either size, never timings.
 */
export type ReliabilitySize = 'test' | 'bench';

export const SIZE: ReliabilitySize = process.env['RELIABILITY_SIZE'] === 'bench' ? 'bench' : 'test';

export interface ScenarioCounts {
  /** Rounds of the forged and genuine corpora, each with fresh call SIDs and parameters. */
  readonly corpusRounds: number;
  /** fast-check cases over the webhook and agent routes together. */
  readonly fuzzCases: number;
  /** How many of the 120 orderings of a call's five status callbacks to deliver. */
  readonly orderings: number;
  /** Rounds of 50-way concurrent duplicate deliveries (each: one status and one recording callback). */
  readonly duplicateRounds: number;
  /** Generated numbers per toll-fraud category (on top of the fixed corpus), and legitimate ones. */
  readonly generatedNumbers: number;
}

const COUNTS: Readonly<Record<ReliabilitySize, ScenarioCounts>> = {
  test: { corpusRounds: 1, fuzzCases: 400, orderings: 120, duplicateRounds: 1, generatedNumbers: 3 },
  bench: { corpusRounds: 5, fuzzCases: 10_000, orderings: 120, duplicateRounds: 10, generatedNumbers: 40 },
};

export const COUNTS_NOW: ScenarioCounts = COUNTS[SIZE];

/** The fuzz seed: fixed so a failure replays; RELIABILITY_SEED picks another. */
export const FUZZ_SEED = Number(process.env['RELIABILITY_SEED'] ?? 20_261_206);

/**
 * Jest runs every engine it can (PGlite, and Postgres when TEST_DATABASE_URL is set); the bench
 * measures one: Postgres when it is configured, else PGlite.
 */
export const RELIABILITY_ENGINES: ReadonlyArray<'pglite' | 'postgres'> =
  SIZE === 'bench' ? [process.env['TEST_DATABASE_URL'] ? 'postgres' : 'pglite'] : ENGINES;

/** Per-test time budget: the bench's sizes take minutes on two shared cores. */
export const SCENARIO_TIMEOUT_MS = SIZE === 'bench' ? 1_800_000 : 120_000;

/**
 * Background work off: the retention sweep and the reconciler would write rows on their own, and
 * the forged-corpus figure is "0 writes by any request".
 */
export const QUIET_APP_ENV: Readonly<Record<string, string>> = {
  RETENTION_SWEEP_INTERVAL_SECONDS: '0',
  RECONCILE_INTERVAL_SECONDS: '0',
};

/** One measured figure: what was measured next to what it must be. */
export interface Figure {
  readonly figure: string;
  readonly measured: string;
  readonly target: string;
  readonly detail?: string;
}

/** Writes a scenario's figures for the bench (no-op without RELIABILITY_REPORT). */
export function reportFigures(scenario: string, engine: string, figures: readonly Figure[], extra: Record<string, unknown> = {}): void {
  const dir = process.env['RELIABILITY_REPORT'];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${scenario}-${engine}.json`), JSON.stringify({ scenario, engine, size: SIZE, figures, ...extra }, null, 2));
}

export const ratio = (ok: number, total: number) => `${ok}/${total}`;
