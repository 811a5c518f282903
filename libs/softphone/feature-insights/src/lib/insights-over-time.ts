import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { InsightsReport } from '@switchboard/shared-contracts';
import { injectChartPalette } from '@switchboard/softphone-ui';
import { BarController, BarElement, CategoryScale, Legend, LinearScale, Tooltip, type ChartComponentLike } from 'chart.js';
import { BaseChartDirective, provideCharts } from 'ng2-charts';
import { overTimeChartConfig } from './insights-data';

/** Only the bar chart's parts: the rest of chart.js stays out of the Insights chunk. */
export const INSIGHTS_BAR_CHART_PARTS: ChartComponentLike[] = [BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip];

/**
 * Calls by band per day: a stacked bar chart and its table. The table is always readable by a screen
 * reader (visually hidden until shown); the canvas is an image named by the totals.
 */
@Component({
  selector: 'sb-insights-over-time',
  imports: [BaseChartDirective, MatButtonModule],
  providers: [provideCharts({ registerables: INSIGHTS_BAR_CHART_PARTS })],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" data-testid="insights-over-time" aria-labelledby="sb-over-time-title">
      <h2 id="sb-over-time-title">Calls by quality over time</h2>
      <div class="canvas">
        <canvas baseChart [type]="'bar'" [data]="config().data" [options]="config().options" role="img"
                [attr.aria-label]="'Stacked bar chart of calls per day by quality. ' + summary() + ' The figures are in the table below.'"></canvas>
      </div>
      <button matButton type="button" (click)="tableShown.set(!tableShown())" [attr.aria-expanded]="tableShown()" data-testid="insights-over-time-toggle">
        {{ tableShown() ? 'Hide the table' : 'Show the figures as a table' }}
      </button>
      <!-- Scrolls only when shown, and is then focusable (axe: a scrollable region must be reachable by keyboard). -->
      <div [class.sb-visually-hidden]="!tableShown()">
      <div [class.scroll]="tableShown()" [attr.tabindex]="tableShown() ? 0 : null" [attr.role]="tableShown() ? 'region' : null" [attr.aria-label]="tableShown() ? 'Calls per day by quality' : null">
        <table class="table" data-testid="insights-over-time-table">
          <caption>Calls per day by quality</caption>
          <thead><tr><th scope="col">Day</th><th scope="col">Good</th><th scope="col">Fair</th><th scope="col">Poor</th><th scope="col">Calls</th></tr></thead>
          <tbody>
            @for (day of report().overTime; track day.day) {
              <tr><th scope="row">{{ day.day }}</th><td>{{ day.good }}</td><td>{{ day.fair }}</td><td>{{ day.poor }}</td><td>{{ day.good + day.fair + day.poor }}</td></tr>
            }
          </tbody>
        </table>
      </div>
      </div>
    </section>
  `,
  styles: `
    .canvas { position: relative; height: 260px; }
    h2 { margin: 0 0 8px; font: var(--mat-sys-title-medium); }
    .scroll { overflow-x: auto; }
    .table { border-collapse: collapse; width: 100%; }
    caption { text-align: start; font: var(--mat-sys-title-small); padding: 4px 0; }
    th, td { padding: 2px 8px; text-align: end; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    th[scope='row'], thead th:first-child { text-align: start; }
  `,
})
export class InsightsOverTime {
  readonly report = input.required<InsightsReport>();
  readonly summary = input('');
  private readonly palette = injectChartPalette();
  protected readonly config = computed(() => overTimeChartConfig(this.report(), this.palette()));
  protected readonly tableShown = signal(false);
}
