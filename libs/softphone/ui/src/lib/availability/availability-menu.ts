import { ChangeDetectionStrategy, Component, computed, input, output, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule, MatMenuTrigger } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { AvailabilityOption, AvailabilityState } from '@switchboard/shared-contracts';
import { formatDuration } from '../call-timer/call-timer';
import { SOFTPHONE_SHORTCUTS } from '../shortcuts/shortcuts';
import { secondTicker } from './elapsed-clock';

/** One away reason as the menu lists it. */
export interface AwayOptionItem extends AvailabilityOption {
  readonly isCurrent: boolean;
}

const ICONS: Readonly<Record<AvailabilityState, string>> = {
  available: 'check_circle',
  'on-call': 'phone_in_talk',
  'wrap-up': 'edit_note',
  away: 'do_not_disturb_on',
  offline: 'cloud_off',
};

/**
 * The status menu in the header: a button with the agent's state and the time in it; the menu offers
 * Available and Away ▸ each reason. What the state does not allow is disabled, with the reason (`hint`)
 * as the menu's first line, so a disabled choice is never a mystery.
 */
@Component({
  selector: 'sb-availability-menu',
  imports: [MatButtonModule, MatIconModule, MatMenuModule, MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button matButton="tonal" type="button" class="trigger" [matMenuTriggerFor]="statusMenu" data-testid="status-menu-button"
            [attr.data-state]="state() ?? 'unknown'" [attr.aria-keyshortcuts]="shortcut.aria"
            [matTooltip]="'Change your status (' + shortcut.label + ')'">
      <mat-icon aria-hidden="true" [class]="'dot ' + (state() ?? 'unknown')">{{ icon() }}</mat-icon>
      <span data-testid="availability-label">{{ label() }}</span>
      @if (elapsed(); as time) { &ngsp;<span class="elapsed" data-testid="availability-elapsed">{{ time }}</span> }
      <!-- The name comes from what is shown (axe: label-content-name-mismatch), then says what the button does. -->
      <span class="sb-visually-hidden">: your status. Change status</span>
    </button>
    <mat-menu #statusMenu="matMenu" aria-label="Status">
      @if (hint(); as text) { <p class="hint" data-testid="status-hint">{{ text }}</p> }
      <button mat-menu-item type="button" [disabled]="!canChooseAvailable()" (click)="availableChosen.emit()" data-testid="status-available">
        <mat-icon aria-hidden="true" class="dot available">check_circle</mat-icon> Available
      </button>
      <button mat-menu-item type="button" [matMenuTriggerFor]="awayMenu" [disabled]="!canChooseAway()" data-testid="status-away">
        <mat-icon aria-hidden="true" class="dot away">do_not_disturb_on</mat-icon> Away
      </button>
    </mat-menu>
    <mat-menu #awayMenu="matMenu" aria-label="Away reasons">
      @for (option of awayOptions(); track option.id) {
        <button mat-menu-item type="button" [disabled]="option.isCurrent" (click)="awayChosen.emit(option.id)"
                [attr.data-testid]="'status-away-' + option.id">
          {{ option.label }}@if (option.isCurrent) { <span class="current"> (now)</span> }
        </button>
      }
    </mat-menu>
  `,
  styles: `
    .trigger { gap: 6px; }
    .elapsed { font-variant-numeric: tabular-nums; }
    .hint { margin: 0; padding: 8px 16px; max-width: 240px; font: var(--mat-sys-body-small); color: var(--mat-sys-on-surface-variant); }
    .dot.available { color: var(--mat-sys-primary); }
    .dot.away, .dot.offline { color: var(--mat-sys-error); }
  `,
})
export class AvailabilityMenu {
  readonly state = input.required<AvailabilityState | null>();
  readonly label = input.required<string>();
  /** ISO instant the state began; null hides the clock. */
  readonly since = input<string | null>(null);
  readonly canChooseAvailable = input(false);
  readonly canChooseAway = input(false);
  readonly awayOptions = input<readonly AwayOptionItem[]>([]);
  readonly hint = input<string | null>(null);
  /** Wall clock, replaceable in tests. */
  readonly now = input<() => number>(() => Date.now());
  readonly availableChosen = output<void>();
  readonly awayChosen = output<string>();

  protected readonly shortcut = SOFTPHONE_SHORTCUTS.status;
  private readonly trigger = viewChild.required(MatMenuTrigger);
  private readonly clock = secondTicker(this.now);
  protected readonly icon = computed(() => {
    const state = this.state();
    return state ? ICONS[state] : 'help';
  });
  protected readonly elapsed = computed(() => {
    const since = this.since();
    if (since === null) return null;
    return formatDuration((this.clock() - Date.parse(since)) / 1000);
  });

  /** Opens the menu (the keyboard shortcut), focusing its first item. */
  open(): void {
    this.trigger().openMenu();
    this.trigger().focus('keyboard');
  }
}
