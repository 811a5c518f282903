/** Call quality you can look back on (issue 14): how long records are kept, and when a line test is stale. */
export interface QualityConfig {
  /**
   * QUALITY_RETENTION_DAYS (default 90, 1–3650): quality records and their samples, ratings, registration
   * timings and line tests older than this are deleted. No "keep forever": samples are per-person data.
   */
  readonly retentionDays: number;
  /** LINE_TEST_MAX_AGE_HOURS (default 24, 1–720): a line test older than this is offered before going online. */
  readonly lineTestMaxAgeHours: number;
}

export function readQualityConfig(
  integer: (name: string, fallback: number, min: number, max: number, hint?: string) => number,
): QualityConfig {
  return {
    retentionDays: integer('QUALITY_RETENTION_DAYS', 90, 1, 3650, ' (days)'),
    lineTestMaxAgeHours: integer('LINE_TEST_MAX_AGE_HOURS', 24, 1, 720, ' (hours)'),
  };
}
