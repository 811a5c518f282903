import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';

export type ConnectionBadgeTone = 'neutral' | 'progress' | 'ok' | 'warn' | 'error';

/**
 * What the chip needs of the connection status view model (data-access-voice's
 * `ConnectionStatusView`): the chip adds nothing but the retry countdown.
 */
export interface ConnectionBadgeStatus {
  readonly phase: string;
  readonly label: string;
  readonly icon: string;
  readonly tone: ConnectionBadgeTone;
  readonly guidance: string;
  readonly isRetrying: boolean;
}

/** Whole seconds until `at`, never negative. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** What the chip says aloud and in its tooltip; the announcer speaks the same sentence. */
export function spokenStatus(status: Pick<ConnectionBadgeStatus, 'label' | 'guidance'>): string {
  return `Phone status: ${status.label}. ${status.guidance}`;
}

/**
 * The status chip. It must never claim "Online" when calls cannot reach the agent, so it shows the
 * status view model as it is and adds only when the next retry comes. It is not a live region:
 * changes are spoken once by the announcer, never each second of the countdown.
 */
@Component({
  selector: 'sb-connection-badge',
  imports: [MatIconModule, MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span [class]="'chip tone-' + status().tone" role="group" [matTooltip]="spoken()" tabindex="0" data-testid="status-chip"
          [attr.data-state]="status().phase" [attr.aria-label]="spoken()">
      <mat-icon aria-hidden="true">{{ status().icon }}</mat-icon>
      <span class="label" data-testid="status-label">{{ status().label }}</span>
      @if (countdown(); as countdown) {
        <span class="countdown" data-testid="status-countdown">{{ countdown }}</span>
      }
    </span>
  `,
  styles: `
    :host { display: inline-flex; min-width: 0; max-width: 100%; }
    .chip { display: inline-flex; align-items: center; gap: 6px; padding: 4px 12px 4px 8px; border-radius: 16px;
      font: var(--mat-sys-label-large); border: 1px solid var(--mat-sys-outline-variant); max-width: 100%; min-width: 0; }
    .chip mat-icon { font-size: 18px; width: 18px; height: 18px; flex: none; }
    .label, .countdown { white-space: nowrap; }
    .label { overflow: hidden; text-overflow: ellipsis; }
    .tone-neutral { background: var(--mat-sys-surface-container-high); color: var(--mat-sys-on-surface); }
    .tone-progress { background: var(--mat-sys-secondary-container); color: var(--mat-sys-on-secondary-container); }
    .tone-ok { background: var(--mat-sys-primary-container); color: var(--mat-sys-on-primary-container); }
    .tone-warn { background: var(--mat-sys-tertiary-container); color: var(--mat-sys-on-tertiary-container); }
    .tone-error { background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
  `,
})
export class ConnectionBadge {
  readonly status = input.required<ConnectionBadgeStatus>();
  /** Epoch ms of the next automatic retry, when one is scheduled. */
  readonly nextRetryAt = input<number | null>(null);

  private readonly now = signal(Date.now());

  protected readonly spoken = computed(() => spokenStatus(this.status()));
  protected readonly countdown = computed(() => {
    const at = this.nextRetryAt();
    if (!this.status().isRetrying || at === null) return null;
    const seconds = secondsUntil(at, this.now());
    return seconds === 0 ? 'now…' : `in ${seconds} s`;
  });

  constructor() {
    // Tick once a second only while a countdown is on screen.
    let timer: ReturnType<typeof setInterval> | null = null;
    const stop = () => {
      if (timer !== null) clearInterval(timer);
      timer = null;
    };
    effect(() => {
      stop();
      if (this.nextRetryAt() !== null && this.status().isRetrying) {
        this.now.set(Date.now());
        timer = setInterval(() => this.now.set(Date.now()), 1000);
      }
    });
    inject(DestroyRef).onDestroy(stop);
  }
}
