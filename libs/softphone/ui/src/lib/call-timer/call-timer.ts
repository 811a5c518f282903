import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal } from '@angular/core';

/** `m:ss`, or `h:mm:ss` from one hour. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Time since `since` (epoch ms), ticking each second; empty when there is no start. */
@Component({
  selector: 'sb-call-timer',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // role=timer: a named clock (a bare <time> may not carry a name); timers are not announced (aria-live off).
  template: `<time role="timer" [attr.data-testid]="testId()" [attr.datetime]="'PT' + elapsedSeconds() + 'S'" [attr.aria-label]="label() + ' ' + text()">{{ text() }}</time>`,
  styles: `:host { font: var(--mat-sys-title-medium); font-variant-numeric: tabular-nums; }`,
})
export class CallTimer {
  readonly since = input<number | null>(null);
  readonly label = input('Call time');
  /** `clock` shows 1:05; `seconds` shows 65 s (the reconnecting banner). */
  readonly format = input<'clock' | 'seconds'>('clock');
  readonly testId = input('call-timer');
  private readonly now = signal(Date.now());
  protected readonly elapsedSeconds = computed(() => {
    const since = this.since();
    return since === null ? 0 : Math.floor(Math.max(0, this.now() - since) / 1000);
  });
  protected readonly text = computed(() =>
    this.since() === null ? '' : this.format() === 'seconds' ? `${this.elapsedSeconds()} s` : formatDuration(this.elapsedSeconds()),
  );

  constructor() {
    let timer: ReturnType<typeof setInterval> | null = null;
    const stop = () => {
      if (timer !== null) clearInterval(timer);
      timer = null;
    };
    effect(() => {
      stop();
      if (this.since() !== null) {
        this.now.set(Date.now());
        timer = setInterval(() => this.now.set(Date.now()), 1000);
      }
    });
    inject(DestroyRef).onDestroy(stop);
  }
}
