import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import {
  QUALITY_WARNING_TEXT,
  qualityLevel,
  type QualityLevel,
  type QualitySample,
  type QualityWarningName,
} from '@switchboard/shared-voice-model';
import { DISPLAY_LOCALE, formatFigure } from '../locale/display-locale';

const LEVEL_TEXT: Readonly<Record<QualityLevel, { label: string; bars: number }>> = {
  good: { label: 'Good', bars: 3 },
  fair: { label: 'Fair', bars: 2 },
  poor: { label: 'Poor', bars: 1 },
};

/** Three levels from the SDK's warnings and the latest sample, with what to do about each warning. */
@Component({
  selector: 'sb-quality-indicator',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="head" data-testid="quality-indicator" [attr.data-level]="level()">
      <span class="bars" aria-hidden="true">
        @for (bar of [1, 2, 3]; track bar) {
          <span class="bar" [class.on]="bar <= levelText().bars" [style.height.px]="4 + bar * 4"></span>
        }
      </span>
      <span class="label">Call quality: <strong>{{ levelText().label }}</strong></span>
    </div>
    @if (latest(); as sample) {
      <dl class="stats" data-testid="quality-stats">
        <div><dt>MOS</dt><dd data-testid="quality-mos">{{ sample.mos === null ? '–' : figure(sample.mos, 1) }}</dd></div>
        <div><dt>RTT</dt><dd data-testid="quality-rtt">{{ figure(sample.rtt, 0) }} ms</dd></div>
        <div><dt>Jitter</dt><dd data-testid="quality-jitter">{{ figure(sample.jitter, 0) }} ms</dd></div>
        <div><dt>Loss</dt><dd data-testid="quality-loss">{{ figure(sample.packetLossPercent, 1) }} %</dd></div>
      </dl>
    }
    @if (warnings().length > 0) {
      <ul class="warnings">
        @for (warning of warningTexts(); track warning.name) {
          <li [attr.data-warning]="warning.name" data-testid="quality-warning">
            <mat-icon aria-hidden="true">{{ warning.severity === 'poor' ? 'signal_cellular_connected_no_internet_0_bar' : 'network_check' }}</mat-icon>
            <div><strong>{{ warning.title }}.</strong> <span data-testid="remediation-text">{{ warning.remediation }}</span></div>
          </li>
        }
      </ul>
    }
  `,
  styles: `
    :host { display: block; }
    .head { display: flex; align-items: center; gap: 8px; }
    .bars { display: inline-flex; align-items: flex-end; gap: 2px; height: 16px; }
    .bar { width: 5px; border-radius: 1px; background: var(--mat-sys-outline-variant); }
    [data-level='good'] .bar.on { background: var(--mat-sys-primary); }
    [data-level='fair'] .bar.on { background: var(--mat-sys-tertiary); }
    [data-level='poor'] .bar.on { background: var(--mat-sys-error); }
    .stats { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 8px 0 0; font: var(--mat-sys-body-small); }
    .stats div { display: flex; gap: 4px; }
    dt { color: var(--mat-sys-on-surface-variant); }
    dd { margin: 0; font-variant-numeric: tabular-nums; }
    .warnings { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-direction: column; gap: 6px; }
    .warnings li { display: flex; gap: 8px; padding: 8px; border-radius: 8px;
      background: var(--mat-sys-tertiary-container); color: var(--mat-sys-on-tertiary-container); font: var(--mat-sys-body-small); }
  `,
})
export class QualityIndicator {
  private readonly locale = inject(DISPLAY_LOCALE);
  readonly warnings = input<readonly QualityWarningName[]>([]);
  readonly latest = input<QualitySample | null>(null);

  protected readonly level = computed(() => qualityLevel(this.warnings(), this.latest()));
  protected readonly levelText = computed(() => LEVEL_TEXT[this.level()]);
  /** The SDK reports raw floats (RTT 3.9059999999999997): whole ms for times, one decimal for MOS and loss. */
  protected figure(value: number, fractionDigits: number): string {
    return formatFigure(value, fractionDigits, this.locale);
  }
  protected readonly warningTexts = computed(() =>
    this.warnings().map((name) => ({ name, ...QUALITY_WARNING_TEXT[name] })),
  );
}
