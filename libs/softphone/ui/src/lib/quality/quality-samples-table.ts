import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { QualitySampleColumns, RecordedWarning } from '@switchboard/shared-contracts';
import { DISPLAY_LOCALE, formatFigure } from '../locale/display-locale';
import { sampleTableRows, sampleTableStep } from './quality-chart-data';

/**
 * The figures behind the chart. Always in the page for screen readers; shown on screen on demand (a long
 * call's table is long), one row per sample for short calls, averaged per 5 s or more for long ones.
 */
@Component({
  selector: 'sb-quality-samples-table',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <!-- Expanded says what the eye gets; a screen reader can read the table either way. -->
    <button matButton type="button" (click)="shown.set(!shown())" [attr.aria-expanded]="shown()" data-testid="quality-samples-toggle">
      {{ shown() ? 'Hide the table' : 'Show the figures as a table' }}
    </button>
    <!-- Scrolls only when shown, and is then focusable (axe: a scrollable region must be reachable by keyboard). -->
    <div [class.sb-visually-hidden]="!shown()">
    <div [class.scroll]="shown()" [attr.tabindex]="shown() ? 0 : null" [attr.role]="shown() ? 'region' : null" [attr.aria-label]="shown() ? caption() : null">
      <table class="table" data-testid="quality-samples-table">
        <caption>{{ caption() }}</caption>
        <thead>
          <tr><th scope="col">Time</th><th scope="col">MOS</th><th scope="col">Jitter (ms)</th><th scope="col">Packet loss (%)</th><th scope="col">Round trip (ms)</th><th scope="col">Warnings</th></tr>
        </thead>
        <tbody>
          @for (row of rows(); track row.at) {
            <tr [class.warn]="row.warnings.length > 0">
              <th scope="row">{{ row.at }}</th>
              <td>{{ figure(row.mos, 2) }}</td>
              <td>{{ figure(row.jitter, 0) }}</td>
              <td>{{ figure(row.packetLossPercent, 1) }}</td>
              <td>{{ figure(row.rtt, 0) }}</td>
              <td>{{ row.warnings.join(', ') || '–' }}</td>
            </tr>
          } @empty {
            <tr><td colspan="6">No samples were recorded (the call never had audio).</td></tr>
          }
        </tbody>
      </table>
    </div>
    </div>
  `,
  styles: `
    .scroll { overflow-x: auto; max-height: 320px; overflow-y: auto; }
    .table { border-collapse: collapse; width: 100%; font: var(--mat-sys-body-small); }
    caption { text-align: start; font: var(--mat-sys-title-small); padding: 4px 0; }
    th, td { padding: 2px 8px; text-align: end; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    th[scope='row'], td:last-child, thead th:first-child, thead th:last-child { text-align: start; }
    .warn td:last-child { font-weight: 600; }
  `,
})
export class QualitySamplesTable {
  readonly samples = input.required<QualitySampleColumns>();
  readonly warnings = input<readonly RecordedWarning[]>([]);
  private readonly locale = inject(DISPLAY_LOCALE);
  protected readonly shown = signal(false);
  protected readonly rows = computed(() => sampleTableRows(this.samples(), this.warnings()));
  protected readonly caption = computed(() => {
    const step = sampleTableStep(this.samples().mos.length);
    return step === 1 ? 'Quality, second by second' : `Quality, averaged over each ${step} seconds`;
  });
  protected figure(value: number | null, digits: number): string {
    return value === null ? '–' : formatFigure(value, digits, this.locale);
  }
}
