import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';

export type ThemePreference = 'system' | 'light' | 'dark';

const NEXT: Readonly<Record<ThemePreference, ThemePreference>> = { system: 'light', light: 'dark', dark: 'system' };
const TEXT: Readonly<Record<ThemePreference, { icon: string; label: string }>> = {
  system: { icon: 'brightness_auto', label: 'Theme: follows your system' },
  light: { icon: 'light_mode', label: 'Theme: light' },
  dark: { icon: 'dark_mode', label: 'Theme: dark' },
};

/** One button cycling system → light → dark. */
@Component({
  selector: 'sb-theme-toggle',
  imports: [MatButtonModule, MatIconModule, MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button matIconButton type="button" data-testid="theme-toggle" [attr.data-theme]="preference()"
            [attr.aria-label]="text().label + '. Change theme'" [matTooltip]="text().label" (click)="changed.emit(next())">
      <mat-icon>{{ text().icon }}</mat-icon>
    </button>
  `,
})
export class ThemeToggle {
  readonly preference = input<ThemePreference>('system');
  readonly changed = output<ThemePreference>();
  protected readonly text = computed(() => TEXT[this.preference()]);
  protected readonly next = computed(() => NEXT[this.preference()]);
}
