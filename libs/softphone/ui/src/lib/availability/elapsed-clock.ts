import { DestroyRef, computed, inject, signal, type Signal } from '@angular/core';

/**
 * A signal of "now" (epoch ms) that moves once a second while the component lives; `now` is read through
 * a signal so tests pass a fixed clock.
 */
export function secondTicker(now: Signal<() => number>): Signal<number> {
  const tick = signal(0);
  const timer = setInterval(() => tick.update((n) => n + 1), 1000);
  inject(DestroyRef).onDestroy(() => clearInterval(timer));
  return computed(() => {
    tick();
    return now()();
  });
}
