import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import type { AvailabilityOption, FloorAgent, SetAgentAvailabilityRequest } from '@switchboard/shared-contracts';
import { formatElapsed, isQualityPoor, qualityText, reachabilityText, secondsSince, stateText } from './floor-words';

/** A supervisor's choice for one agent. */
export interface AgentStateChoice {
  readonly agent: FloorAgent;
  readonly request: SetAgentAvailabilityRequest;
}

/**
 * Every agent: state and time in it, reachability and why not, the current call with its duration and
 * live quality; per row, the state menu and Listen. A real table (caption, column and row headers) so a
 * screen reader reads each cell with its agent and column.
 */
@Component({
  selector: 'sb-floor-agents-table',
  imports: [MatButtonModule, MatIconModule, MatMenuModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <table class="table" data-testid="floor-agents">
      <caption>Agents ({{ agents().length }})</caption>
      <thead>
        <tr>
          <th scope="col">Agent</th>
          <th scope="col">State</th>
          <th scope="col">Reachability</th>
          <th scope="col">Current call</th>
          <th scope="col" class="actions">Actions</th>
        </tr>
      </thead>
      <tbody>
        @for (agent of agents(); track agent.identity) {
          <tr data-testid="floor-agent-row" [attr.data-identity]="agent.identity" [attr.data-state]="agent.availability.state"
              [attr.data-reachable]="agent.reachability.reachable">
            <th scope="row">
              <span class="name">{{ agent.displayName }}</span>
              <span class="detail">{{ agent.identity }}{{ agent.role === 'supervisor' ? ' · supervisor' : '' }}</span>
            </th>
            <td data-testid="agent-state">
              <span class="state" [attr.data-tone]="agent.availability.state">{{ stateText(agent, awayReasons()) }}</span>
              <span class="detail" data-testid="agent-state-time">for {{ elapsed(agent.availability.since) }}</span>
            </td>
            <td data-testid="agent-reachability" [class.warn]="!agent.reachability.reachable">
              <mat-icon aria-hidden="true">{{ agent.reachability.reachable ? 'wifi_tethering' : 'portable_wifi_off' }}</mat-icon>
              {{ reachabilityText(agent) }}
            </td>
            <td data-testid="agent-call">
              @if (agent.call; as call) {
                <span class="name">{{ call.party }}</span>
                <span class="detail">{{ call.direction === 'inbound' ? 'Inbound' : 'Outbound' }} · <span data-testid="agent-call-duration">{{ elapsed(call.since) }}</span></span>
                <span class="detail" [class.warn]="isQualityPoor(call)" data-testid="agent-call-quality">{{ qualityText(call) }}</span>
              } @else {
                <span class="detail">No call</span>
              }
            </td>
            <td class="actions">
              @if (agent.call; as call) {
                @if (monitoredCallSid() === call.customerCallSid) {
                  <span class="detail" data-testid="agent-monitored">Monitoring</span>
                } @else {
                  <button matButton="tonal" type="button" data-testid="listen-button" [disabled]="listenBlocker() !== null"
                          [attr.aria-label]="'Listen to ' + agent.displayName + '’s call'" [attr.title]="listenBlocker()"
                          (click)="listen.emit(agent)">
                    <mat-icon aria-hidden="true">hearing</mat-icon> Listen
                  </button>
                }
              }
              <button matButton type="button" data-testid="set-state-button" [matMenuTriggerFor]="stateMenu"
                      [attr.aria-label]="'Set state for ' + agent.displayName">
                Set state <mat-icon iconPositionEnd aria-hidden="true">arrow_drop_down</mat-icon>
              </button>
              <mat-menu #stateMenu="matMenu">
                <button mat-menu-item type="button" data-testid="state-option-available"
                        (click)="stateChosen.emit({ agent, request: { state: 'available' } })">Available</button>
                <button mat-menu-item type="button" data-testid="state-option-away" [matMenuTriggerFor]="awayMenu"
                        [disabled]="awayReasons().length === 0">Away</button>
              </mat-menu>
              <mat-menu #awayMenu="matMenu">
                @for (reason of awayReasons(); track reason.id) {
                  <button mat-menu-item type="button" [attr.data-testid]="'away-reason-' + reason.id"
                          (click)="stateChosen.emit({ agent, request: { state: 'away', reason: reason.id } })">{{ reason.label }}</button>
                }
              </mat-menu>
            </td>
          </tr>
        } @empty {
          <tr><td colspan="5" class="detail">No agents are set up yet.</td></tr>
        }
      </tbody>
    </table>
  `,
  styles: `
    .table { width: 100%; border-collapse: collapse; font: var(--mat-sys-body-medium); }
    caption { text-align: start; font: var(--mat-sys-title-medium); padding: 8px 0; }
    th, td { text-align: start; vertical-align: top; padding: 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    thead th { font: var(--mat-sys-label-large); color: var(--mat-sys-on-surface-variant); }
    tbody th { font-weight: normal; }
    .name { display: block; font: var(--mat-sys-title-small); }
    .detail { display: block; color: var(--mat-sys-on-surface-variant); font-variant-numeric: tabular-nums; }
    .warn, .detail.warn { color: var(--mat-sys-error); }
    td mat-icon { vertical-align: middle; font-size: 18px; width: 18px; height: 18px; }
    .actions { white-space: nowrap; text-align: end; }
    .actions .detail { display: inline; margin-inline-end: 8px; }
  `,
})
export class FloorAgentsTable {
  readonly agents = input.required<readonly FloorAgent[]>();
  readonly awayReasons = input<readonly AvailabilityOption[]>([]);
  /** Epoch ms the clocks count to (ticks each second). */
  readonly now = input.required<number>();
  /** The customer call being monitored, if any (its row shows no Listen). */
  readonly monitoredCallSid = input<string | null>(null);
  /** Why Listen is disabled; null when it is not. */
  readonly listenBlocker = input<string | null>(null);
  readonly stateChosen = output<AgentStateChoice>();
  readonly listen = output<FloorAgent>();

  protected readonly stateText = stateText;
  protected readonly reachabilityText = reachabilityText;
  protected readonly qualityText = qualityText;
  protected readonly isQualityPoor = isQualityPoor;

  protected elapsed(since: string): string {
    return formatElapsed(secondsSince(since, this.now()));
  }
}
