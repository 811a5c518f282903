import { ChangeDetectionStrategy, Component, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatTableModule } from '@angular/material/table';
import { RING_OUTCOME_WORDS, type AgentDirectoryEntry, type CallHandoff, type CallRecord, type CallStatus, type Page } from '@switchboard/shared-contracts';
import type { CountryCode } from '@switchboard/shared-util-phone';
import { formatDuration } from '../call-timer/call-timer';
import { DISPLAY_LOCALE, LocalDateTimePipe } from '../locale/display-locale';
import { describeParty, type PartyView } from '../party/party';
import { QualityBadge } from '../quality/quality-badge';
import { describeHandoff } from './handoff-words';

const STATUS_TEXT: Readonly<Record<CallStatus, string>> = {
  queued: 'Queued',
  initiated: 'Starting',
  ringing: 'Ringing',
  'in-progress': 'In progress',
  completed: 'Completed',
  busy: 'Busy',
  'no-answer': 'No answer',
  canceled: 'Cancelled',
  failed: 'Failed',
};

export interface HistoryPageRequest {
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

/** The agent's calls, newest first, one page at a time. */
@Component({
  selector: 'sb-call-history-list',
  imports: [LocalDateTimePipe, MatButtonModule, MatIconModule, MatPaginatorModule, MatTableModule, QualityBadge],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="scroll">
      <table mat-table [dataSource]="page().items" aria-label="Call history">
        <ng-container matColumnDef="direction">
          <th mat-header-cell *matHeaderCellDef><span class="sb-visually-hidden">Direction</span></th>
          <td mat-cell *matCellDef="let call">
            <mat-icon [attr.aria-label]="isIncoming(call) ? 'Incoming' : 'Outgoing'" role="img">
              {{ isIncoming(call) ? 'call_received' : 'call_made' }}</mat-icon>
          </td>
        </ng-container>
        <ng-container matColumnDef="party">
          <th mat-header-cell *matHeaderCellDef>With</th>
          <td mat-cell *matCellDef="let call">
            @let party = otherParty(call);
            {{ party.name }}@if (party.detail) { <span class="detail"> ({{ party.detail }})</span> }
          </td>
        </ng-container>
        <ng-container matColumnDef="status">
          <th mat-header-cell *matHeaderCellDef>Result</th>
          <td mat-cell *matCellDef="let call">
            {{ statusLabel(call.status) }}
            <!-- In the call's own row, so reading the row reads what happened to it; the words carry it all. -->
            @if (call.handoffs.length > 0) {
              <!-- role="list": WebKit drops the list semantics of an unstyled list otherwise. -->
              <ul class="handoffs" role="list" aria-label="Transfers, consults and rescues" data-testid="history-handoffs">
                @for (handoff of call.handoffs; track $index) {
                  <li data-testid="history-handoff">
                    <mat-icon aria-hidden="true">{{ handoffIcon(handoff) }}</mat-icon>
                    <span>{{ handoffText(handoff) }}, <time class="detail" [attr.datetime]="handoff.at">{{ handoffTime(handoff.at) }}</time></span>
                  </li>
                }
              </ul>
            }
            @if (call.dispositions.length > 0) {
              <ul class="handoffs" role="list" aria-label="Wrap-up" data-testid="history-dispositions">
                @for (disposition of call.dispositions; track $index) {
                  <li data-testid="history-disposition">
                    <mat-icon aria-hidden="true">edit_note</mat-icon>
                    <span>{{ dispositionText(disposition) }}</span>
                  </li>
                }
              </ul>
            }
            @if (isMissed(call)) {
              <ul class="handoffs" role="list" aria-label="Why nobody answered" data-testid="history-ring-outcomes">
                @for (ring of call.ringOutcomes; track $index) {
                  <li data-testid="history-ring-outcome" [attr.data-outcome]="ring.outcome">
                    <mat-icon aria-hidden="true">person_off</mat-icon>
                    <span>{{ ringOutcomeText(ring) }}</span>
                  </li>
                }
              </ul>
            }
          </td>
        </ng-container>
        <ng-container matColumnDef="startedAt">
          <th mat-header-cell *matHeaderCellDef>When</th>
          <td mat-cell *matCellDef="let call"><time [attr.datetime]="call.startedAt">{{ call.startedAt | localDateTime }}</time></td>
        </ng-container>
        <ng-container matColumnDef="duration">
          <th mat-header-cell *matHeaderCellDef>Length</th>
          <td mat-cell *matCellDef="let call">{{ call.durationSeconds === null ? '–' : duration(call.durationSeconds) }}</td>
        </ng-container>
        <ng-container matColumnDef="quality">
          <th mat-header-cell *matHeaderCellDef>Quality</th>
          <td mat-cell *matCellDef="let call">
            <div class="quality">
              <sb-quality-badge [badge]="call.quality" />
              @if (call.quality) {
                <button matButton type="button" class="details" (click)="qualityDetailRequested.emit(call)" data-testid="quality-detail-open"
                        [attr.aria-label]="'Details of call quality, ' + otherParty(call).name">Details</button>
              }
            </div>
          </td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let call; columns: columns" data-testid="history-row" [attr.data-call-sid]="call.callSid"></tr>
        <tr class="mat-mdc-row" *matNoDataRow><td class="mat-mdc-cell empty" [attr.colspan]="columns.length">No calls yet.</td></tr>
      </table>
    </div>
    <mat-paginator [length]="page().total" [pageIndex]="page().page - 1" [pageSize]="page().pageSize" [pageSizeOptions]="[10, 25, 50]"
                   (page)="changePage($event)" aria-label="Call history pages" data-testid="history-paginator" />
  `,
  styles: `
    .scroll { overflow-x: auto; }
    table { width: 100%; }
    .empty { padding: 16px; color: var(--mat-sys-on-surface-variant); }
    .detail { color: var(--mat-sys-on-surface-variant); }
    .handoffs { list-style: none; margin: 4px 0 0; padding: 0; font: var(--mat-sys-body-small); }
    .handoffs li { display: flex; gap: 4px; align-items: flex-start; padding: 2px 0; color: var(--mat-sys-on-surface); }
    .quality { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 4px; }
    .details { min-width: 0; padding: 0 8px; }
    .handoffs mat-icon { flex: none; width: 16px; height: 16px; font-size: 16px; color: var(--mat-sys-on-surface-variant); }
  `,
})
export class CallHistoryList {
  readonly page = input.required<Page<CallRecord>>();
  /** The signed-in agent: a call another agent placed to them is shown as incoming, from that agent. */
  readonly agentIdentity = input<string | null>(null);
  /** The agent directory, to name colleagues. */
  readonly agents = input<readonly AgentDirectoryEntry[]>([]);
  /** Numbers from this country are written the national way. */
  readonly homeCountry = input<CountryCode | undefined>(undefined);
  readonly pageRequested = output<HistoryPageRequest>();
  /** The agent asked for a call's quality detail (chart, set-up, facts). */
  readonly qualityDetailRequested = output<CallRecord>();
  protected readonly columns = ['direction', 'party', 'status', 'startedAt', 'duration', 'quality'];
  /**
   * Calls are stored once, as placed (an agent-to-agent call is `outbound` for everyone in it), so the
   * direction is read from the viewer's side: rung at their own client address, it came in.
   */
  protected isIncoming(call: CallRecord): boolean {
    const identity = this.agentIdentity();
    return call.direction === 'inbound' || (identity !== null && call.to === `client:${identity}`);
  }
  protected otherParty(call: CallRecord): PartyView {
    return describeParty(this.isIncoming(call) ? call.from : call.to, this.agents(), this.homeCountry());
  }
  protected statusLabel(status: CallStatus): string {
    return STATUS_TEXT[status] ?? status;
  }
  protected readonly duration = formatDuration;
  private readonly timeFormat = new Intl.DateTimeFormat(inject(DISPLAY_LOCALE), { timeStyle: 'short' });
  protected handoffTime(at: string): string {
    return this.timeFormat.format(new Date(at));
  }
  protected handoffText(handoff: CallHandoff): string {
    return describeHandoff(handoff, this.homeCountry());
  }
  /** Decorative (hidden from assistive technology): the sentence beside it says the same. */
  protected handoffIcon(handoff: CallHandoff): string {
    return handoff.kind === 'rescue' ? 'sync_problem' : handoff.kind === 'consult' ? 'forum' : 'phone_forwarded';
  }

  protected ringOutcomeText(ring: CallRecord['ringOutcomes'][number]): string {
    return `${ring.displayName}: ${RING_OUTCOME_WORDS[ring.outcome] ?? ring.outcome}`;
  }
  /** "Disposition: Resolved", with the note; another agent's is named (a call handed on has one per agent). */
  protected dispositionText(disposition: CallRecord['dispositions'][number]): string {
    const who = disposition.identity === this.agentIdentity() ? '' : ` (${describeParty(`client:${disposition.identity}`, this.agents()).name})`;
    return `Disposition${who}: ${disposition.label}${disposition.note ? ` — “${disposition.note}”` : ''}`;
  }
  /** An inbound call nobody answered: why each agent was not rung or did not answer says what went wrong. */
  protected isMissed(call: CallRecord): boolean {
    return call.direction === 'inbound' && call.ringOutcomes.length > 0 && !call.ringOutcomes.some((ring) => ring.outcome === 'answered');
  }

  protected changePage(event: PageEvent): void {
    this.pageRequested.emit({ page: event.pageIndex + 1, pageSize: event.pageSize });
  }
}
