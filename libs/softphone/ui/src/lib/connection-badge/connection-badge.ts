import { ChangeDetectionStrategy, Component, DestroyRef, booleanAttribute, computed, effect, inject, input, signal } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { ConnectionPhase, VoiceErrorInfo } from '@switchboard/shared-voice-model';

export type ConnectionBadgeTone = 'neutral' | 'progress' | 'ok' | 'warn' | 'error';

export interface ConnectionBadgeView {
  readonly label: string;
  readonly icon: string;
  readonly tone: ConnectionBadgeTone;
  /** What the agent should know or do; also the tooltip. */
  readonly detail: string;
}

/** Whole seconds until `at`, never negative. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** The words and colour for a connection state; pure, so every state is testable. */
export function describeConnection(input: {
  readonly phase: ConnectionPhase;
  readonly isSigningIn: boolean;
  readonly isRetrying: boolean;
  readonly error: VoiceErrorInfo | null;
  readonly nextRetryAt: number | null;
  readonly now: number;
}): ConnectionBadgeView {
  const retry = input.nextRetryAt === null ? null : secondsUntil(input.nextRetryAt, input.now);
  const retryText = retry === null ? 'Reconnecting…' : retry === 0 ? 'Retrying now…' : `Retrying in ${retry} s`;
  if (input.isSigningIn) {
    return { label: 'Signing in…', icon: 'login', tone: 'progress', detail: 'Checking your sign-in.' };
  }
  switch (input.phase) {
    case 'signed-out':
      return { label: 'Signed out', icon: 'logout', tone: 'neutral', detail: 'Sign in to take calls.' };
    case 'fetching-token':
    case 'registering':
      return input.isRetrying || input.error
        ? { label: `Offline · ${retryText}`, icon: 'sync', tone: 'warn', detail: input.error ? `${input.error.message} ${input.error.nextStep}` : 'Reconnecting to the voice service.' }
        : { label: 'Connecting…', icon: 'sync', tone: 'progress', detail: 'Connecting to the voice service.' };
    case 'registered':
      return { label: 'Online', icon: 'check_circle', tone: 'ok', detail: 'Ready to place and receive calls.' };
    case 'unregistered':
      return {
        label: `Offline · ${retryText}`,
        icon: 'cloud_off',
        tone: 'warn',
        detail: input.error ? `${input.error.message} ${input.error.nextStep}` : 'Calls cannot reach you right now. Switchboard is reconnecting on its own.',
      };
    case 'destroyed':
      return { label: `Offline · ${retryText}`, icon: 'cloud_off', tone: 'warn', detail: 'The phone was stopped by the browser. Switchboard restarts it.' };
    case 'standby':
      return {
        label: 'In another tab',
        icon: 'tab',
        tone: 'neutral',
        detail: 'Switchboard is taking your calls in another tab of this browser. Press “Use this tab” to take them here.',
      };
    case 'error': {
      const error = input.error;
      if (error?.isRetriedAutomatically) {
        return { label: `Offline · ${retryText}`, icon: 'cloud_off', tone: 'warn', detail: `${error.message} ${error.nextStep}` };
      }
      return {
        label: error ? `Error${error.code === null ? '' : ` ${error.code}`}` : 'Error',
        icon: 'error',
        tone: 'error',
        detail: error ? `${error.message} ${error.nextStep}` : 'The phone stopped. Reload the page.',
      };
    }
  }
}

/**
 * The status chip. It must never claim "Online" when calls cannot reach the agent, so it is
 * derived only from the connection phase and says when the next retry comes.
 */
@Component({
  selector: 'sb-connection-badge',
  imports: [MatIconModule, MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span class="chip" [class]="'chip tone-' + view().tone" role="status" [matTooltip]="view().detail"
          tabindex="0" data-testid="status-chip" [attr.data-state]="phase()" [attr.aria-label]="'Phone status: ' + view().label + '. ' + view().detail">
      <mat-icon aria-hidden="true">{{ view().icon }}</mat-icon>
      <span class="label">{{ view().label }}</span>
    </span>
    @if (showDetail() && view().tone !== 'ok') {
      <p class="detail" data-testid="status-detail">{{ view().detail }}</p>
    }
  `,
  styles: `
    :host { display: inline-flex; flex-direction: column; gap: 4px; min-width: 0; }
    .chip { display: inline-flex; align-items: center; gap: 6px; padding: 4px 12px 4px 8px; border-radius: 16px;
      font: var(--mat-sys-label-large); border: 1px solid var(--mat-sys-outline-variant); max-width: 100%; }
    .chip mat-icon { font-size: 18px; width: 18px; height: 18px; }
    .label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .tone-neutral { background: var(--mat-sys-surface-container-high); color: var(--mat-sys-on-surface); }
    .tone-progress { background: var(--mat-sys-secondary-container); color: var(--mat-sys-on-secondary-container); }
    .tone-ok { background: var(--mat-sys-primary-container); color: var(--mat-sys-on-primary-container); }
    .tone-warn { background: var(--mat-sys-tertiary-container); color: var(--mat-sys-on-tertiary-container); }
    .tone-error { background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .detail { margin: 0; font: var(--mat-sys-body-small); color: var(--mat-sys-on-surface-variant); }
  `,
})
export class ConnectionBadge {
  readonly phase = input.required<ConnectionPhase>();
  readonly isSigningIn = input(false, { transform: booleanAttribute });
  /** A connecting phase that is a retry means "offline and retrying", not "starting". */
  readonly isRetrying = input(false, { transform: booleanAttribute });
  readonly error = input<VoiceErrorInfo | null>(null);
  /** Epoch ms of the next automatic retry, when one is scheduled. */
  readonly nextRetryAt = input<number | null>(null);
  /** Show the detail sentence under the chip (the panel does; the toolbar keeps it in the tooltip). */
  readonly showDetail = input(false, { transform: booleanAttribute });

  private readonly now = signal(Date.now());

  protected readonly view = computed(() =>
    describeConnection({
      phase: this.phase(),
      isSigningIn: this.isSigningIn(),
      isRetrying: this.isRetrying(),
      error: this.error(),
      nextRetryAt: this.nextRetryAt(),
      now: this.now(),
    }),
  );

  constructor() {
    // Tick once a second only while a countdown is on screen.
    let timer: ReturnType<typeof setInterval> | null = null;
    const stop = () => {
      if (timer !== null) clearInterval(timer);
      timer = null;
    };
    effect(() => {
      stop();
      if (this.nextRetryAt() !== null) {
        this.now.set(Date.now());
        timer = setInterval(() => this.now.set(Date.now()), 1000);
      }
    });
    inject(DestroyRef).onDestroy(stop);
  }
}
