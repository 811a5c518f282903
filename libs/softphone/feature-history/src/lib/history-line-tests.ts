import { LiveAnnouncer } from '@angular/cdk/a11y';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { LineTest } from '@switchboard/shared-contracts';
import { toApiErrorBody } from '@switchboard/softphone-data-access-api';
import { QualityApi, lineTestOutcome } from '@switchboard/softphone-data-access-quality';
import { DISPLAY_LOCALE, LocalDateTimePipe, lineTestFigures } from '@switchboard/softphone-ui';
import { firstValueFrom } from 'rxjs';

type LoadState = { readonly status: 'loading' } | { readonly status: 'loaded'; readonly tests: readonly LineTest[] } | { readonly status: 'failed'; readonly message: string };

/** "3 line tests, the newest Good." for the screen reader once the list has loaded. */
export function lineTestsAnnouncement(tests: readonly LineTest[]): string {
  if (tests.length === 0) return 'No line tests yet.';
  const count = tests.length === 1 ? '1 line test' : `${tests.length} line tests`;
  return `${count}, the newest ${lineTestOutcome(tests[0]).title.toLowerCase()}.`;
}

/** The signed-in agent's line tests (Settings → Test my line), newest first: when, result in words with what to do, figures, edge. */
@Component({
  selector: 'sb-history-line-tests',
  imports: [LocalDateTimePipe, MatButtonModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section aria-labelledby="sb-line-tests-title" data-testid="history-line-tests" [attr.data-status]="state().status">
      <h2 id="sb-line-tests-title" class="sb-visually-hidden">Line tests</h2>
      @switch (state().status) {
        @case ('loading') {
          <div role="status"><mat-progress-bar mode="indeterminate" aria-label="Loading line tests" /><p>Loading line tests…</p></div>
        }
        @case ('failed') {
          <div class="problem" role="alert" data-testid="history-line-tests-error">
            <p>Line tests could not be loaded: {{ failure() }}</p>
            <button matButton="filled" type="button" (click)="load()">Try again</button>
          </div>
        }
      }
      @if (tests(); as tests) {
        @if (tests.length === 0) {
          <p data-testid="history-line-tests-empty">No line tests yet. Run one from Settings → Test my line.</p>
        } @else {
          <!-- Focusable: the table scrolls sideways on a narrow screen (axe scrollable-region-focusable). -->
          <div class="scroll" tabindex="0" role="region" aria-label="Your line tests">
            <table class="table">
              <caption>Your line tests, newest first</caption>
              <thead>
                <tr><th scope="col">When</th><th scope="col" class="start">Result</th>
                  @for (label of figureLabels; track label) { <th scope="col">{{ label }}</th> }
                </tr>
              </thead>
              <tbody>
                @for (row of rows(); track row.id) {
                  <tr data-testid="history-line-test" [attr.data-verdict]="row.verdict">
                    <th scope="row"><time [attr.datetime]="row.endedAt">{{ row.endedAt | localDateTime }}</time></th>
                    <td class="result"><strong [class.poor]="row.outcome.failed || row.verdict === 'poor'">{{ row.outcome.title }}</strong><br><span class="advice">{{ row.outcome.advice }}</span></td>
                    @for (figure of row.figures; track figure.label) { <td>{{ figure.value }}</td> }
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      }
    </section>
  `,
  styles: `
    .scroll { overflow-x: auto; }
    .table { border-collapse: collapse; width: 100%; }
    caption { text-align: start; font: var(--mat-sys-title-small); padding: 4px 0; }
    th, td { padding: 4px 8px; text-align: end; vertical-align: top; border-bottom: 1px solid var(--mat-sys-outline-variant); white-space: nowrap; }
    th[scope='row'], thead th:first-child, .start, .result { text-align: start; }
    .result { white-space: normal; min-width: 200px; }
    .advice { font: var(--mat-sys-body-small); color: var(--mat-sys-on-surface-variant); }
    .poor { color: var(--mat-sys-error); }
    .problem { padding: 12px 16px; border-radius: 12px; background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .problem p { margin: 0 0 8px; }
  `,
})
export class HistoryLineTests {
  private readonly api = inject(QualityApi);
  private readonly announcer = inject(LiveAnnouncer);
  private readonly locale = inject(DISPLAY_LOCALE);
  protected readonly state = signal<LoadState>({ status: 'loading' });
  /** The last list stays while a retry loads. */
  protected readonly tests = signal<readonly LineTest[] | null>(null);
  protected readonly failure = computed(() => {
    const state = this.state();
    return state.status === 'failed' ? state.message : '';
  });
  protected readonly figureLabels = ['MOS', 'Round trip', 'Jitter', 'Packet loss', 'Edge'];
  protected readonly rows = computed(() =>
    (this.tests() ?? []).map((test) => ({ id: test.id, endedAt: test.endedAt, verdict: test.verdict, outcome: lineTestOutcome(test), figures: lineTestFigures(test, this.locale) })),
  );

  constructor() {
    void this.load();
  }

  async load(): Promise<void> {
    this.state.set({ status: 'loading' });
    try {
      const { lineTests } = await firstValueFrom(this.api.lineTests());
      this.tests.set(lineTests);
      this.state.set({ status: 'loaded', tests: lineTests });
      void this.announcer.announce(lineTestsAnnouncement(lineTests), 'polite');
    } catch (error) {
      this.state.set({ status: 'failed', message: toApiErrorBody(error).message });
    }
  }
}
