/**
 * A named point on the page's performance timeline (`performance.mark`), read by bench/e2e to break
 * sign-in → registered into its steps. Costs a few microseconds; a browser without it is skipped.
 */
export function markTiming(name: string): void {
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(name);
}
