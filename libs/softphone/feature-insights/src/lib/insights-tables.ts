import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { SETUP_STEP_WORDS, type InsightsBreakdownRow, type InsightsReport } from '@switchboard/shared-contracts';
import { DISPLAY_LOCALE, formatFigure, warningTitle } from '@switchboard/softphone-ui';
import { percentOf } from './insights-data';

/** One dimension's breakdown: key, calls, good/fair/poor (count and share) and average MOS; captioned, with headers. */
@Component({
  selector: 'sb-insights-breakdown-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <!-- A wide table scrolls on a narrow screen: focusable, so a keyboard can scroll it (axe scrollable-region-focusable). -->
    <div class="scroll" tabindex="0" role="region" [attr.aria-label]="title()">
      <table class="table" [attr.data-testid]="'insights-breakdown-' + dimension()">
        <caption>{{ title() }}</caption>
        <thead>
          <tr><th scope="col">{{ title() }}</th><th scope="col">Calls</th><th scope="col">Good</th><th scope="col">Fair</th><th scope="col">Poor</th><th scope="col">Average MOS</th></tr>
        </thead>
        <tbody>
          @for (row of rows(); track row.key) {
            <tr>
              <th scope="row">{{ row.key }}</th>
              <td>{{ row.calls }}</td>
              <td>{{ row.good }} <span class="share">({{ share(row.good, row) }})</span></td>
              <td>{{ row.fair }} <span class="share">({{ share(row.fair, row) }})</span></td>
              <td [class.poor]="row.poor > 0">{{ row.poor }} <span class="share">({{ share(row.poor, row) }})</span></td>
              <td>{{ row.avgMos === null ? '–' : mos(row.avgMos) }}</td>
            </tr>
          } @empty {
            <tr><td colspan="6">No calls.</td></tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .scroll { overflow-x: auto; }
    .table { border-collapse: collapse; width: 100%; }
    caption { text-align: start; font: var(--mat-sys-title-small); padding: 4px 0; }
    th, td { padding: 2px 8px; text-align: end; border-bottom: 1px solid var(--mat-sys-outline-variant); white-space: nowrap; }
    th[scope='row'], thead th:first-child { text-align: start; white-space: normal; }
    .share { color: var(--mat-sys-on-surface-variant); font: var(--mat-sys-body-small); }
    .poor { font-weight: 600; }
  `,
})
export class InsightsBreakdownTable {
  readonly dimension = input.required<string>();
  readonly title = input.required<string>();
  readonly rows = input.required<readonly InsightsBreakdownRow[]>();
  private readonly locale = inject(DISPLAY_LOCALE);
  protected share(part: number, row: InsightsBreakdownRow): string {
    return percentOf(part, row.calls);
  }
  protected mos(value: number): string {
    return formatFigure(value, 2, this.locale);
  }
}

/** The most frequent warnings, and the set-up steps that failed (by code). */
@Component({
  selector: 'sb-insights-problems',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="grid">
      <table class="table" data-testid="insights-top-warnings">
        <caption>Most frequent warnings</caption>
        <thead><tr><th scope="col">Warning</th><th scope="col">Calls</th></tr></thead>
        <tbody>
          @for (warning of report().topWarnings; track warning.name) {
            <tr><th scope="row">{{ title(warning.name) }} <span class="code">({{ warning.name }})</span></th><td>{{ warning.calls }}</td></tr>
          } @empty {
            <tr><td colspan="2">No warnings in this range.</td></tr>
          }
        </tbody>
      </table>
      <table class="table" data-testid="insights-setup-failures">
        <caption>Set-up failures</caption>
        <thead><tr><th scope="col">Step</th><th scope="col">Error code</th><th scope="col">Count</th></tr></thead>
        <tbody>
          @for (failure of failures(); track $index) {
            <tr><th scope="row">{{ failure.step }}</th><td>{{ failure.code }}</td><td>{{ failure.count }}</td></tr>
          } @empty {
            <tr><td colspan="3">No set-up failures in this range.</td></tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 16px; }
    .table { border-collapse: collapse; width: 100%; }
    caption { text-align: start; font: var(--mat-sys-title-small); padding: 4px 0; }
    th, td { padding: 2px 8px; text-align: end; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    th[scope='row'], thead th:first-child { text-align: start; }
    .code { color: var(--mat-sys-on-surface-variant); font: var(--mat-sys-body-small); }
  `,
})
export class InsightsProblems {
  readonly report = input.required<InsightsReport>();
  protected readonly title = warningTitle;
  protected readonly failures = computed(() => this.report().setupFailures.map((f) => ({ ...f, step: SETUP_STEP_WORDS[f.step] ?? f.step })));
}
