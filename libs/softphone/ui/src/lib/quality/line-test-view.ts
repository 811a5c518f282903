import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { LINE_TEST_VERDICT_TEXT, type LineTest } from '@switchboard/shared-contracts';
import { DISPLAY_LOCALE, LocalDateTimePipe, formatFigure } from '../locale/display-locale';

/** A running line test as the UI needs it (the data-access lib's LineTestProgress fits this shape). */
export interface LineTestProgressView {
  readonly phase: 'starting' | 'connecting' | 'measuring' | 'done' | 'failed';
  readonly elapsedSeconds: number;
  readonly expectedSeconds: number;
  readonly message: string | null;
}

const PHASE_WORDS: Readonly<Record<LineTestProgressView['phase'], string>> = {
  starting: 'Starting the test…',
  connecting: 'Connecting a test call…',
  measuring: 'Measuring your line…',
  done: 'Test finished.',
  failed: 'The test failed.',
};

/** "Measuring your line… 6 of 15 seconds". */
export function lineTestProgressText(progress: LineTestProgressView): string {
  const words = PHASE_WORDS[progress.phase];
  if (progress.phase === 'done' || progress.phase === 'failed') return words;
  return `${words} ${Math.min(Math.round(progress.elapsedSeconds), progress.expectedSeconds)} of ${progress.expectedSeconds} seconds`;
}

/** 0–100 for the determinate bar. */
export function lineTestPercent(progress: LineTestProgressView): number {
  if (progress.expectedSeconds <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((progress.elapsedSeconds / progress.expectedSeconds) * 100)));
}

/** The figures of a test, in words: "MOS 4.3", "Round trip 45 ms"… */
export function lineTestFigures(test: LineTest, locale: string): { label: string; value: string }[] {
  const fig = (value: number | null, digits: number, unit: string) => (value === null ? '–' : `${formatFigure(value, digits, locale)}${unit}`);
  return [
    { label: 'MOS', value: fig(test.mos.avg, 1, '') },
    { label: 'Round trip', value: fig(test.rtt.avg, 0, ' ms') },
    { label: 'Jitter', value: fig(test.jitter.avg, 0, ' ms') },
    { label: 'Packet loss', value: fig(test.packetLossPercent, 1, ' %') },
    { label: 'Edge', value: test.edge ?? 'Not recorded' },
  ];
}

/** The line test's progress while it runs, and the last result: verdict, what to do, figures and when. */
@Component({
  selector: 'sb-line-test-view',
  imports: [LocalDateTimePipe, MatIconModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (progress(); as run) {
      @if (run.phase !== 'done') {
        <div class="progress" data-testid="line-test-progress" [attr.data-phase]="run.phase">
          @if (run.phase !== 'failed') {
            <mat-progress-bar mode="determinate" [value]="percent()" aria-label="Line test progress" />
          }
          <p class="words" [class.error]="run.phase === 'failed'">{{ progressText() }}@if (run.message) { {{ ' ' + run.message }} }</p>
        </div>
      }
    }
    @if (lastTest(); as test) {
      <div class="result" data-testid="line-test-result" [attr.data-verdict]="test.verdict">
        <p class="verdict">
          <mat-icon aria-hidden="true">{{ test.verdict === 'excellent' ? 'check_circle' : test.verdict === 'good' ? 'error_outline' : 'warning' }}</mat-icon>
          <strong>{{ verdict()?.title }}</strong>
        </p>
        <p class="advice">{{ test.error ? test.error.message + ' ' : '' }}{{ verdict()?.advice }}</p>
        <dl class="figures">
          @for (figure of figures(); track figure.label) {
            <div><dt>{{ figure.label }}</dt><dd>{{ figure.value }}</dd></div>
          }
        </dl>
        <p class="when">Tested <time [attr.datetime]="test.endedAt">{{ test.endedAt | localDateTime }}</time></p>
      </div>
    } @else if (!progress()) {
      <p class="when" data-testid="line-test-none">No line test yet.</p>
    }
  `,
  styles: `
    .progress, .result { display: flex; flex-direction: column; gap: 4px; }
    .words, .advice, .when, .verdict { margin: 0; }
    .verdict { display: flex; align-items: center; gap: 6px; font: var(--mat-sys-title-medium); }
    [data-verdict='poor'] .verdict { color: var(--mat-sys-error); }
    .error { color: var(--mat-sys-error); }
    .when { font: var(--mat-sys-body-small); color: var(--mat-sys-on-surface-variant); }
    .figures { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0; }
    dt { font: var(--mat-sys-label-small); color: var(--mat-sys-on-surface-variant); }
    dd { margin: 0; }
  `,
})
export class LineTestView {
  readonly progress = input<LineTestProgressView | null>(null);
  readonly lastTest = input<LineTest | null>(null);
  private readonly locale = inject(DISPLAY_LOCALE);
  protected readonly percent = computed(() => {
    const run = this.progress();
    return run ? lineTestPercent(run) : 0;
  });
  protected readonly progressText = computed(() => {
    const run = this.progress();
    return run ? lineTestProgressText(run) : '';
  });
  protected readonly verdict = computed(() => {
    const test = this.lastTest();
    return test ? LINE_TEST_VERDICT_TEXT[test.verdict] : null;
  });
  protected readonly figures = computed(() => {
    const test = this.lastTest();
    return test ? lineTestFigures(test, this.locale) : [];
  });
}
