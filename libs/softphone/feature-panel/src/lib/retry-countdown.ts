import { computed, type Signal } from '@angular/core';

/**
 * The store keeps the retry delay, not a wall-clock instant (so reducers stay pure); the moment a
 * new retry appears, this pins it to the clock for the countdown.
 */
export function nextRetryAt(retry: Signal<{ readonly attempt: number; readonly delayMs: number } | null>, now: () => number = Date.now): Signal<number | null> {
  return computed(() => {
    const current = retry();
    return current === null ? null : now() + current.delayMs;
  });
}
