import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { InsightsBreakdownRow, InsightsReport } from '@switchboard/shared-contracts';
import { injectChartPalette, warningTitle } from '@switchboard/softphone-ui';
import { BaseChartDirective, provideCharts } from 'ng2-charts';
import { breakdownChartConfig, breakdownChartHeight, breakdownChartSummary, warningsChartConfig, warningsChartSummary } from './insights-breakdown-data';
import { INSIGHTS_BAR_CHART_PARTS } from './insights-over-time';

/**
 * One dimension's calls as horizontal bars stacked by band. Only the canvas: the page keeps the table
 * below it (the accessible view), so the figures are there before chart.js has loaded.
 */
@Component({
  selector: 'sb-insights-breakdown-chart',
  imports: [BaseChartDirective],
  providers: [provideCharts({ registerables: INSIGHTS_BAR_CHART_PARTS })],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="canvas" [style.height.px]="height()" [attr.data-testid]="'insights-chart-' + dimension()">
      <canvas baseChart [type]="'bar'" [data]="config().data" [options]="config().options" role="img" [attr.aria-label]="summary()"></canvas>
    </div>
  `,
  styles: `.canvas { position: relative; }`,
})
export class InsightsBreakdownChart {
  readonly dimension = input.required<string>();
  readonly title = input.required<string>();
  readonly rows = input.required<readonly InsightsBreakdownRow[]>();
  private readonly palette = injectChartPalette();
  protected readonly config = computed(() => breakdownChartConfig(this.rows(), this.palette()));
  protected readonly height = computed(() => breakdownChartHeight(this.rows().length));
  protected readonly summary = computed(() => breakdownChartSummary(this.title(), this.rows()));
}

/** The most frequent warnings as bars (no bands: a warning is not a call's verdict). */
@Component({
  selector: 'sb-insights-warnings-chart',
  imports: [BaseChartDirective],
  providers: [provideCharts({ registerables: INSIGHTS_BAR_CHART_PARTS })],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="canvas" [style.height.px]="height()" data-testid="insights-chart-warnings">
      <canvas baseChart [type]="'bar'" [data]="config().data" [options]="config().options" role="img" [attr.aria-label]="summary()"></canvas>
    </div>
  `,
  styles: `.canvas { position: relative; }`,
})
export class InsightsWarningsChart {
  readonly warnings = input.required<InsightsReport['topWarnings']>();
  private readonly palette = injectChartPalette();
  protected readonly config = computed(() => warningsChartConfig(this.warnings(), warningTitle, this.palette()));
  protected readonly height = computed(() => breakdownChartHeight(this.warnings().length));
  protected readonly summary = computed(() => warningsChartSummary(this.warnings(), warningTitle));
}
