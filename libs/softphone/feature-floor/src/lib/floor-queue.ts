import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { FloorCounts, QueuedCall } from '@switchboard/shared-contracts';
import { formatAverage, formatElapsed, secondsSince } from './floor-words';

/** Today's counts and the callers waiting, longest wait first in the heading. */
@Component({
  selector: 'sb-floor-queue',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="counts" aria-labelledby="sb-floor-counts-heading" data-testid="floor-counts">
      <h2 id="sb-floor-counts-heading">Today</h2>
      <dl>
        <div><dt>Answered</dt><dd data-testid="count-answered">{{ counts().answered }}</dd></div>
        <div><dt>Missed</dt><dd data-testid="count-missed">{{ counts().missed }}</dd></div>
        <div><dt>Abandoned</dt><dd data-testid="count-abandoned">{{ counts().abandoned }}</dd></div>
        <div><dt>Average wait</dt><dd data-testid="count-average-wait">{{ average(counts().averageWaitSeconds) }}</dd></div>
        <div><dt>Average handle</dt><dd data-testid="count-average-handle">{{ average(counts().averageHandleSeconds) }}</dd></div>
      </dl>
    </section>

    <section aria-labelledby="sb-floor-queue-heading" data-testid="floor-queue">
      <h2 id="sb-floor-queue-heading">Queue</h2>
      @if (queue().length === 0) {
        <p class="detail" data-testid="queue-empty">Nobody is waiting.</p>
      } @else {
        <p class="detail" data-testid="queue-longest">
          {{ queue().length }} waiting · longest wait {{ longestWait() }}
        </p>
        <table class="table">
          <caption class="detail">Callers waiting, next first</caption>
          <thead><tr><th scope="col">Position</th><th scope="col">Caller</th><th scope="col">For</th><th scope="col">Waiting</th></tr></thead>
          <tbody>
            @for (caller of queue(); track caller.callSid) {
              <tr data-testid="queue-row" [attr.data-call-sid]="caller.callSid" [attr.data-position]="caller.position">
                <td>{{ caller.position }}</td>
                <th scope="row">{{ caller.from }}</th>
                <td>{{ targetText(caller.target) }}</td>
                <td class="clock">{{ waited(caller.enqueuedAt) }}</td>
              </tr>
            }
          </tbody>
        </table>
      }
    </section>
  `,
  styles: `
    :host { display: grid; gap: 16px; }
    h2 { margin: 0 0 8px; font: var(--mat-sys-title-medium); }
    dl { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 0; }
    dl div { display: flex; flex-direction: column-reverse; }
    dt { color: var(--mat-sys-on-surface-variant); font: var(--mat-sys-label-medium); }
    dd { margin: 0; font: var(--mat-sys-headline-small); font-variant-numeric: tabular-nums; }
    .detail { margin: 0; color: var(--mat-sys-on-surface-variant); }
    .table { width: 100%; border-collapse: collapse; }
    caption { text-align: start; }
    th, td { text-align: start; padding: 6px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    tbody th { font-weight: normal; }
    .clock { font-variant-numeric: tabular-nums; }
  `,
})
export class FloorQueue {
  readonly queue = input.required<readonly QueuedCall[]>();
  readonly counts = input.required<FloorCounts>();
  /** Epoch ms the clocks count to (ticks each second). */
  readonly now = input.required<number>();

  protected readonly average = formatAverage;

  protected waited(enqueuedAt: string): string {
    return formatElapsed(secondsSince(enqueuedAt, this.now()));
  }

  /** The longest wait from the callers themselves, so it ticks with their clocks. */
  protected longestWait(): string {
    const first = this.queue().reduce((oldest, caller) => (caller.enqueuedAt < oldest ? caller.enqueuedAt : oldest), this.queue()[0].enqueuedAt);
    return this.waited(first);
  }

  protected targetText(target: string): string {
    if (target.startsWith('group:')) return `Group ${target.slice('group:'.length)}`;
    if (target.startsWith('agent:')) return `Agent ${target.slice('agent:'.length)}`;
    return target;
  }
}
