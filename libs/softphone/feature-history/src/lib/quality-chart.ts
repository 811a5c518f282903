import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { QualitySampleColumns, RecordedWarning } from '@switchboard/shared-contracts';
import { CategoryScale, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip, type Chart, type ChartComponentLike, type ChartConfiguration, type Plugin } from 'chart.js';
import { BaseChartDirective, provideCharts } from 'ng2-charts';
import { injectChartPalette, qualityChartSeries, type ChartPalette, type QualityChartSeries, type WarningRange } from '@switchboard/softphone-ui';

/**
 * Only what a line chart needs is registered, so the rest of chart.js stays out of the chunk. This file is
 * reached only through QualityDetail's @defer block: chart.js loads with the detail, never with the shell.
 */
export const QUALITY_LINE_CHART_PARTS: ChartComponentLike[] = [LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip];

/** Shades each warning's range behind the lines (a plugin of this chart only, not registered globally). */
export function warningShadePlugin(ranges: () => readonly WarningRange[], fill: () => string): Plugin<'line'> {
  return {
    id: 'sbWarningShade',
    beforeDatasetsDraw(chart: Chart<'line'>) {
      const x = chart.scales['x'];
      const area = chart.chartArea;
      if (!x || !area) return;
      const { ctx } = chart;
      ctx.save();
      ctx.fillStyle = fill();
      for (const range of ranges()) {
        const left = x.getPixelForValue(range.from);
        const right = Math.max(x.getPixelForValue(range.to), left + 2);
        ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
      }
      ctx.restore();
    },
  };
}

/** The chart's configuration from the series and the theme: each line has its own dash, not only a colour. */
export function qualityChartConfig(series: QualityChartSeries, palette: ChartPalette): ChartConfiguration<'line', (number | null)[], string> {
  const line = (color: string, dash: number[]) => ({ borderColor: color, backgroundColor: color, borderDash: dash, borderWidth: 2, pointRadius: 0, pointHitRadius: 6, spanGaps: false });
  const axis = (title: string, position: 'left' | 'right', extra: Record<string, unknown> = {}) => ({
    position, title: { display: true, text: title, color: palette.text }, ticks: { color: palette.text }, grid: { color: palette.grid, drawOnChartArea: position === 'left' }, ...extra,
  });
  return {
    type: 'line',
    data: {
      labels: series.labels,
      datasets: [
        { label: 'MOS (1–4.5)', data: series.mos, yAxisID: 'mos', ...line(palette.primary, []) },
        { label: 'Jitter (ms)', data: series.jitter, yAxisID: 'ms', ...line(palette.tertiary, [6, 3]) },
        { label: 'Packet loss (%)', data: series.packetLossPercent, yAxisID: 'loss', ...line(palette.error, [2, 2]) },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { labels: { color: palette.text, usePointStyle: false } }, tooltip: { enabled: true } },
      scales: {
        x: { ticks: { color: palette.text, maxTicksLimit: 8 }, grid: { color: palette.grid }, title: { display: true, text: 'Time into the call', color: palette.text } },
        mos: axis('MOS', 'left', { min: 1, max: 4.5 }),
        ms: axis('Jitter ms', 'right', { min: 0 }),
        loss: axis('Loss %', 'right', { min: 0, suggestedMax: 5 }),
      },
    },
  };
}

/** A leg's MOS, jitter and packet loss over the call, warnings shaded and listed in words beneath. */
@Component({
  selector: 'sb-quality-chart',
  imports: [BaseChartDirective],
  providers: [provideCharts({ registerables: QUALITY_LINE_CHART_PARTS })],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure class="figure" data-testid="quality-chart">
      <div class="canvas">
        <canvas baseChart [type]="'line'" [data]="config().data" [options]="config().options" [plugins]="plugins"
                role="img" [attr.aria-label]="summary()"></canvas>
      </div>
      <figcaption>
        @if (series().warnings.length > 0) {
          <span>Shaded: warnings.</span>
          <ul class="warnings" role="list" aria-label="Warnings on the chart">
            @for (warning of series().warnings; track $index) {
              <li data-testid="quality-chart-warning">{{ warning.title }}, {{ series().labels[warning.from] }}–{{ series().labels[warning.to] }}</li>
            }
          </ul>
        } @else {
          <span>No warnings during this call.</span>
        }
      </figcaption>
    </figure>
  `,
  styles: `
    .figure { margin: 0; }
    .canvas { position: relative; height: 240px; }
    figcaption { font: var(--mat-sys-body-small); color: var(--mat-sys-on-surface-variant); padding-top: 4px; }
    .warnings { margin: 2px 0 0; padding-left: 18px; }
  `,
})
export class QualityChart {
  readonly samples = input.required<QualitySampleColumns>();
  readonly warnings = input<readonly RecordedWarning[]>([]);
  private readonly palette = injectChartPalette();
  protected readonly series = computed(() => qualityChartSeries(this.samples(), this.warnings()));
  protected readonly config = computed(() => qualityChartConfig(this.series(), this.palette()));
  protected readonly plugins: Plugin<'line'>[] = [warningShadePlugin(() => this.series().warnings, () => this.palette().warningFill)];
  protected readonly summary = computed(() => {
    const s = this.series();
    return `Chart of MOS, jitter and packet loss over ${s.labels.length} seconds, ${s.warnings.length} warning ranges shaded. The same figures are in the samples table.`;
  });
}
