import { ChangeDetectionStrategy, Component, DestroyRef, booleanAttribute, computed, effect, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { SOFTPHONE_SHORTCUTS } from '../shortcuts/shortcuts';

/**
 * "Rejoin call": after the agent's page or network dropped out of a customer call, the customer
 * waits on hold until `expiresAt`; this counts down to it. The countdown is not a live region
 * (a number read out every second is noise): the container announces the offer once.
 */
@Component({
  selector: 'sb-rejoin-banner',
  imports: [MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="banner" aria-label="Rejoin call" data-testid="rejoin-banner">
      <mat-icon aria-hidden="true">phone_callback</mat-icon>
      <p class="text">
        <strong data-testid="rejoin-customer">{{ customer() }}</strong> is waiting on hold.
        @if (secondsLeft() > 0) {
          <span data-testid="rejoin-countdown">Rejoin within <time [attr.datetime]="'PT' + secondsLeft() + 'S'">{{ secondsLeft() }} s</time>.</span>
        } @else {
          <span data-testid="rejoin-countdown">Time is up.</span>
        }
      </p>
      <button matButton="filled" type="button" data-testid="rejoin-button" [disabled]="rejoining() || secondsLeft() === 0"
              [attr.aria-keyshortcuts]="shortcut.aria" (click)="rejoinRequested.emit()">
        <mat-icon aria-hidden="true">call</mat-icon> {{ rejoining() ? 'Rejoining…' : 'Rejoin call' }}
      </button>
    </section>
  `,
  styles: `
    .banner { display: flex; align-items: center; gap: 8px; padding: 8px 12px; border-radius: 12px; flex-wrap: wrap;
      background: var(--mat-sys-tertiary-container); color: var(--mat-sys-on-tertiary-container); }
    .text { flex: 1; margin: 0; min-width: 12em; }
    time { font-variant-numeric: tabular-nums; }
  `,
})
export class RejoinBanner {
  /** Who waits (directory name or masked number). */
  readonly customer = input.required<string>();
  /** Epoch ms the offer ends. */
  readonly expiresAt = input.required<number>();
  readonly rejoining = input(false, { transform: booleanAttribute });
  /** Wall clock, replaceable in tests. */
  readonly now = input<() => number>(() => Date.now());
  readonly rejoinRequested = output<void>();

  protected readonly shortcut = SOFTPHONE_SHORTCUTS.rejoin;
  private readonly tick = signal(0);
  protected readonly secondsLeft = computed(() => {
    this.tick();
    return Math.max(0, Math.ceil((this.expiresAt() - this.now()()) / 1000));
  });

  constructor() {
    let timer: ReturnType<typeof setInterval> | null = null;
    effect(() => {
      this.expiresAt();
      if (timer === null) timer = setInterval(() => this.tick.update((n) => n + 1), 1000);
    });
    inject(DestroyRef).onDestroy(() => {
      if (timer !== null) clearInterval(timer);
    });
  }
}
