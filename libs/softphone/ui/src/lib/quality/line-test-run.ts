import { LiveAnnouncer } from '@angular/cdk/a11y';
import { DestroyRef, inject, signal, type Signal } from '@angular/core';
import { LINE_TEST_VERDICT_TEXT, type LineTest } from '@switchboard/shared-contracts';
import type { Observable, Subscription } from 'rxjs';
import type { LineTestProgressView } from './line-test-view';

/** A line test's progress with its stored result (the data-access lib's LineTestProgress has this shape). */
export interface LineTestRunProgress extends LineTestProgressView {
  readonly result: LineTest | null;
}

/** What a screen-reader user hears when the test moves on; null when the phase did not change. */
export function lineTestAnnouncement(previous: LineTestRunProgress | null, next: LineTestRunProgress): string | null {
  if (previous?.phase === next.phase) return null;
  switch (next.phase) {
    case 'starting':
      return `Line test started. It takes about ${next.expectedSeconds} seconds.`;
    case 'connecting':
      return 'Connecting a test call.';
    case 'measuring':
      return 'Measuring your line.';
    case 'done': {
      const verdict = next.result ? LINE_TEST_VERDICT_TEXT[next.result.verdict] : null;
      return verdict ? `Line test finished: ${verdict.title}. ${verdict.advice}` : 'Line test finished.';
    }
    case 'failed':
      return `The line test failed. ${next.message ?? 'Check your network connection and try again.'}`;
  }
}

/**
 * Runs a line test from a screen (Settings, the panel's offer card): its progress as a signal, each phase
 * announced politely, the run stopped when the screen goes. Call in an injection context.
 */
export function injectLineTestRun(start: () => Observable<LineTestRunProgress>): { readonly progress: Signal<LineTestRunProgress | null>; run(): void } {
  const announcer = inject(LiveAnnouncer);
  const progress = signal<LineTestRunProgress | null>(null);
  let subscription: Subscription | null = null;
  inject(DestroyRef).onDestroy(() => subscription?.unsubscribe());
  const show = (next: LineTestRunProgress) => {
    const said = lineTestAnnouncement(progress(), next);
    progress.set(next);
    if (said) void announcer.announce(said, 'polite');
  };
  return {
    progress: progress.asReadonly(),
    run() {
      subscription?.unsubscribe();
      progress.set(null);
      subscription = start().subscribe({
        next: show,
        error: () => show({ phase: 'failed', elapsedSeconds: 0, expectedSeconds: progress()?.expectedSeconds ?? 0, result: null, message: 'The test could not run. Check your network connection and try again.' }),
      });
    },
  };
}
