import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MONITOR_MODES, type MonitorMode } from '@switchboard/shared-contracts';
import type { CallPhase } from '@switchboard/shared-voice-model';
import { CallTimer } from '@switchboard/softphone-ui';
import { MONITOR_MODE_VERB } from '@switchboard/softphone-data-access-voice';
import { MONITOR_MODE_HELP, MONITOR_MODE_LABEL } from './floor-words';

/** The supervisor's monitor call: whose, how (the pressed mode), for how long; change mode or leave. */
@Component({
  selector: 'sb-monitor-bar',
  imports: [MatButtonModule, MatIconModule, CallTimer],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="bar" aria-labelledby="sb-monitor-heading" data-testid="monitor-bar" [attr.data-mode]="mode()" [attr.data-phase]="phase()">
      <div class="head">
        <h2 id="sb-monitor-heading" data-testid="monitor-heading">{{ heading() }}</h2>
        <sb-call-timer [since]="connectedAt()" label="Monitoring for" testId="monitor-timer" />
      </div>
      @if (phase() !== 'open') {
        <p class="detail" data-testid="monitor-phase">Joining the call…</p>
      }
      <div class="modes" role="group" aria-label="How you are in the call">
        @for (option of modes; track option) {
          <button matButton="outlined" type="button" [attr.data-testid]="'monitor-mode-' + option"
                  [attr.aria-pressed]="mode() === option" [class.pressed]="mode() === option"
                  [disabled]="phase() !== 'open' || pending() !== null" [attr.aria-describedby]="'sb-monitor-help-' + option"
                  (click)="modeChosen.emit(option)">
            @if (mode() === option) { <mat-icon aria-hidden="true">check</mat-icon> }
            {{ label[option] }}{{ pending() === option ? '…' : '' }}
          </button>
          <span class="sb-visually-hidden" [id]="'sb-monitor-help-' + option">{{ help[option] }}</span>
        }
        <button matButton="filled" type="button" class="leave" data-testid="monitor-leave" (click)="leave.emit()">
          <mat-icon aria-hidden="true">call_end</mat-icon> Leave
        </button>
      </div>
      <p class="detail" data-testid="monitor-help">{{ help[mode()] }}</p>
      @if (error(); as message) {
        <p class="error" role="alert" data-testid="monitor-error">{{ message }}</p>
      }
    </section>
  `,
  styles: `
    .bar { display: grid; gap: 8px; padding: 12px 16px; border-radius: 12px;
      background: var(--mat-sys-secondary-container); color: var(--mat-sys-on-secondary-container); }
    .head { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
    h2 { margin: 0; font: var(--mat-sys-title-medium); }
    .modes { display: flex; flex-wrap: wrap; gap: 8px; }
    .pressed { background: var(--mat-sys-primary); color: var(--mat-sys-on-primary); }
    .leave { --mat-button-filled-container-color: var(--mat-sys-error); --mat-button-filled-label-text-color: var(--mat-sys-on-error); }
    .detail, .error { margin: 0; }
    .error { color: var(--mat-sys-error); }
  `,
})
export class MonitorBar {
  /** The monitored agent's name. */
  readonly agentName = input.required<string>();
  readonly mode = input.required<MonitorMode>();
  readonly phase = input.required<CallPhase>();
  readonly connectedAt = input<number | null>(null);
  readonly pending = input<MonitorMode | null>(null);
  readonly error = input<string | null>(null);
  readonly modeChosen = output<MonitorMode>();
  readonly leave = output<void>();

  protected readonly modes = MONITOR_MODES;
  protected readonly label = MONITOR_MODE_LABEL;
  protected readonly help = MONITOR_MODE_HELP;

  protected heading(): string {
    return `${MONITOR_MODE_VERB[this.mode()]} ${this.agentName()}’s call`;
  }
}
