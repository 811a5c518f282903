import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** A 0–1 level as a bar, announced to assistive tech as a meter. */
@Component({
  selector: 'sb-level-meter',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="track" role="meter" aria-valuemin="0" aria-valuemax="100" [attr.aria-valuenow]="percent()"
         [attr.aria-label]="label()" data-testid="input-level-meter">
      <div class="fill" [style.width.%]="percent()"></div>
    </div>
  `,
  styles: `
    .track { height: 8px; border-radius: 4px; background: var(--mat-sys-surface-container-highest); overflow: hidden; }
    .fill { height: 100%; background: var(--mat-sys-primary); transition: width 80ms linear; }
  `,
})
export class LevelMeter {
  readonly level = input(0);
  readonly label = input('Microphone level');
  protected readonly percent = computed(() => Math.round(Math.min(1, Math.max(0, this.level())) * 100));
}
