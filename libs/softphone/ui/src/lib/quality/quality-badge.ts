import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { QUALITY_BAND_WORDS, type CallQualityBadge, type QualityBand } from '@switchboard/shared-contracts';
import { DISPLAY_LOCALE, formatFigure } from '../locale/display-locale';

/** A distinct icon per band, so the band reads without colour (and the word says it again). */
export const QUALITY_BAND_ICONS: Readonly<Record<QualityBand, string>> = {
  good: 'check_circle',
  fair: 'error_outline',
  poor: 'warning',
};

/** "Good · MOS 4.3", "Poor · MOS 2.9 · 3 warnings"; "No quality record" when none arrived. */
export function qualityBadgeText(badge: CallQualityBadge | null, locale: string): string {
  if (!badge) return 'No quality record';
  const parts = [QUALITY_BAND_WORDS[badge.band]];
  if (badge.avgMos !== null) parts.push(`MOS ${formatFigure(badge.avgMos, 1, locale)}`);
  if (badge.warningCount > 0) parts.push(badge.warningCount === 1 ? '1 warning' : `${badge.warningCount} warnings`);
  return parts.join(' · ');
}

/** A call's quality in one chip: icon, band word, average MOS and warnings; colour only repeats the words. */
@Component({
  selector: 'sb-quality-badge',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span class="badge" data-testid="quality-badge" [attr.data-band]="badge()?.band ?? 'none'">
      <mat-icon aria-hidden="true">{{ icon() }}</mat-icon>
      <span><span class="sb-visually-hidden">Call quality: </span>{{ text() }}</span>
    </span>
  `,
  styles: `
    .badge { display: inline-flex; align-items: center; gap: 4px; padding: 2px 8px; border-radius: 12px;
      font: var(--mat-sys-label-medium); border: 1px solid var(--mat-sys-outline-variant); white-space: nowrap; }
    .badge mat-icon { width: 16px; height: 16px; font-size: 16px; }
    [data-band='good'] { background: var(--mat-sys-primary-container); color: var(--mat-sys-on-primary-container); }
    [data-band='fair'] { background: var(--mat-sys-tertiary-container); color: var(--mat-sys-on-tertiary-container); }
    [data-band='poor'] { background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    [data-band='none'] { color: var(--mat-sys-on-surface-variant); }
  `,
})
export class QualityBadge {
  readonly badge = input.required<CallQualityBadge | null>();
  private readonly locale = inject(DISPLAY_LOCALE);
  protected readonly text = computed(() => qualityBadgeText(this.badge(), this.locale));
  protected readonly icon = computed(() => {
    const badge = this.badge();
    return badge ? QUALITY_BAND_ICONS[badge.band] : 'remove';
  });
}
