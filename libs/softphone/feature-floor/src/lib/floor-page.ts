import { LiveAnnouncer } from '@angular/cdk/a11y';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { FloorSnapshot, MonitorMode } from '@switchboard/shared-contracts';
import { FloorApi, FloorBoardStore, toApiErrorBody } from '@switchboard/softphone-data-access-api';
import { firstValueFrom } from 'rxjs';
import { FloorAgentsTable, type AgentStateChoice } from './floor-agents-table';
import { floorAnnouncements } from './floor-announcements';
import { FloorMonitor } from './floor-monitor';
import { FloorQueue } from './floor-queue';
import { MonitorBar } from './monitor-bar';

/**
 * The supervisor's board: the monitor call (if any), today's counts and the queue, and every agent.
 * Its data lives as long as the page (FloorBoardStore is provided here), and the clocks tick once a second.
 */
@Component({
  selector: 'sb-floor-page',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule, FloorAgentsTable, FloorQueue, MonitorBar],
  providers: [FloorBoardStore, FloorMonitor],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="floor" aria-labelledby="sb-floor-heading" data-testid="floor-page" [attr.data-status]="board.status()">
      <h1 id="sb-floor-heading">Team floor</h1>

      @if (monitor.call(); as call) {
        <sb-monitor-bar [agentName]="nameOf(call.agentIdentity)" [mode]="call.mode" [phase]="call.phase" [connectedAt]="call.connectedAt"
                        [pending]="monitor.pendingMode()" [error]="monitor.error()"
                        (modeChosen)="setMode($event)" (leave)="monitor.leave()" />
      }

      @if (stateProblem(); as problem) {
        <p class="error" role="alert" data-testid="set-state-error">{{ problem }}</p>
      }

      @if (board.board(); as snapshot) {
        @if (board.status() === 'failed') {
          <p class="error" role="alert" data-testid="floor-stale">
            The board could not be refreshed ({{ board.error() }}); what you see may be out of date.
            <button matButton type="button" (click)="board.load()">Try again</button>
          </p>
        } @else if (board.status() === 'loading') {
          <mat-progress-bar mode="indeterminate" aria-label="Refreshing the board" />
        }
        <sb-floor-queue [queue]="snapshot.queue" [counts]="snapshot.counts" [now]="now()" />
        <sb-floor-agents-table [agents]="snapshot.agents" [awayReasons]="board.awayReasons()" [now]="now()"
                               [monitoredCallSid]="monitor.call()?.customerCallSid ?? null" [listenBlocker]="monitor.listenBlocker()"
                               (stateChosen)="setState($event)" (listen)="monitor.listen($event)" />
      } @else if (board.status() === 'failed') {
        <div class="problem" role="alert" data-testid="floor-error">
          <p>The board could not be loaded: {{ board.error() }}</p>
          <p>Check your network connection, then try again. If it keeps failing, tell your administrator.</p>
          <button matButton="filled" type="button" (click)="board.load()" data-testid="floor-retry">Try again</button>
        </div>
      } @else {
        <div role="status" data-testid="floor-loading">
          <mat-progress-bar mode="indeterminate" aria-label="Loading the board" />
          <p>Loading the team floor…</p>
        </div>
      }
    </main>
  `,
  styles: `
    .floor { display: grid; gap: 16px; max-width: 1100px; margin: 0 auto; padding: 16px 12px; }
    h1 { margin: 0; font: var(--mat-sys-headline-small); }
    .error { margin: 0; color: var(--mat-sys-error); }
    .problem { padding: 12px 16px; border-radius: 12px; background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .problem p { margin: 0 0 8px; }
  `,
})
export class FloorPage {
  protected readonly board = inject(FloorBoardStore);
  protected readonly monitor = inject(FloorMonitor);
  private readonly api = inject(FloorApi);
  private readonly announcer = inject(LiveAnnouncer);
  protected readonly now = signal(Date.now());
  protected readonly stateProblem = signal<string | null>(null);
  private readonly names = computed(() => new Map((this.board.board()?.agents ?? []).map((agent) => [agent.identity, agent.displayName])));

  constructor() {
    const tick = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(tick));
    let previous: FloorSnapshot | null = null;
    effect(() => {
      const next = this.board.board();
      if (!next) return;
      const said = floorAnnouncements(previous, next);
      previous = next;
      if (said.length > 0) void this.announcer.announce(said.join(' '), 'polite');
    });
  }

  protected nameOf(identity: string): string {
    return this.names().get(identity) ?? identity;
  }

  protected async setState({ agent, request }: AgentStateChoice): Promise<void> {
    this.stateProblem.set(null);
    try {
      await firstValueFrom(this.api.setAgentAvailability(agent.identity, request));
      void this.announcer.announce(`${agent.displayName} set to ${request.state === 'available' ? 'Available' : 'Away'}. They are told.`, 'polite');
    } catch (error: unknown) {
      this.stateProblem.set(`${agent.displayName}’s state was not changed: ${toApiErrorBody(error).message}`);
    }
  }

  protected setMode(mode: MonitorMode): void {
    void this.monitor.setMode(mode);
  }
}
