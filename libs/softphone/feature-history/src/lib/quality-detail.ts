import { LiveAnnouncer } from '@angular/cdk/a11y';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, type MatDialogRef } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { QUALITY_BAND_WORDS, type CallRecord, type QualityRecord } from '@switchboard/shared-contracts';
import { toApiErrorBody } from '@switchboard/softphone-data-access-api';
import { QualityApi } from '@switchboard/softphone-data-access-quality';
import { LocalDateTimePipe, QualityBadge, QualityFacts, QualitySamplesTable, QualitySetupTimeline } from '@switchboard/softphone-ui';
import { firstValueFrom } from 'rxjs';
import { QualityChart } from './quality-chart';

export interface QualityDetailData {
  readonly call: CallRecord;
  /** Who the call was with, in words (the list's own naming). */
  readonly partyName: string;
}

/** How a leg is headed: whose side and which way ("alice · inbound"). */
export function legHeading(record: QualityRecord): string {
  return `${record.identity}’s leg · ${record.direction === 'inbound' ? 'incoming' : 'outgoing'} · ${QUALITY_BAND_WORDS[record.summary.band]}`;
}

/**
 * A call's quality, leg by leg: MOS, jitter and loss over the call with the warnings marked, the figures
 * behind the chart, the set-up timeline and the device and network facts. A dialog: it keeps the history
 * list as it was (page, scroll) and returns focus to the button that opened it.
 */
@Component({
  selector: 'sb-quality-detail',
  imports: [LocalDateTimePipe, MatButtonModule, MatDialogModule, MatProgressBarModule, QualityBadge, QualityChart, QualityFacts, QualitySamplesTable, QualitySetupTimeline],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Call quality: {{ data.partyName }}</h2>
    <mat-dialog-content data-testid="quality-detail" [attr.data-status]="status()">
      <p class="when">Call started <time [attr.datetime]="data.call.startedAt">{{ data.call.startedAt | localDateTime }}</time></p>
      @switch (status()) {
        @case ('loading') {
          <div role="status">
            <mat-progress-bar mode="indeterminate" aria-label="Loading the quality record" />
            <p>Loading the call’s quality record…</p>
          </div>
        }
        @case ('failed') {
          <div class="problem" role="alert" data-testid="quality-detail-error">
            <p>The quality record could not be loaded: {{ error() }}</p>
            <p>Check your network connection and try again.</p>
            <button matButton="filled" type="button" (click)="load()" data-testid="quality-detail-retry">Try again</button>
          </div>
        }
        @case ('loaded') {
          @for (record of records(); track record.id) {
            <section class="leg" [attr.aria-labelledby]="'sb-leg-' + record.id" data-testid="quality-leg" [attr.data-call-sid]="record.callSid">
              <h3 [id]="'sb-leg-' + record.id">{{ heading(record) }}</h3>
              <sb-quality-badge [badge]="{ band: record.summary.band, avgMos: record.summary.mos.avg, warningCount: record.warnings.length }" />
              <!-- Deferred: chart.js (~180 kB) is its own chunk, fetched when a detail opens, not with the app's shared chunk. -->
              @defer (on immediate) {
                <sb-quality-chart [samples]="record.samples" [warnings]="record.warnings" />
              } @placeholder {
                <p class="chart-wait">Loading the chart…</p>
              }
              <sb-quality-samples-table [samples]="record.samples" [warnings]="record.warnings" />
              <sb-quality-setup-timeline [events]="record.setup" [legId]="record.id" />
              <sb-quality-facts [record]="record" />
            </section>
          } @empty {
            <p data-testid="quality-detail-empty">
              No quality record arrived for this call. A record is sent when a call ends; if the page was closed at once,
              it is sent the next time Switchboard opens on that computer.
            </p>
          }
        }
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button matButton type="button" mat-dialog-close data-testid="quality-detail-close">Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    .when { margin: 0 0 8px; color: var(--mat-sys-on-surface-variant); }
    .leg { display: flex; flex-direction: column; gap: 8px; padding: 8px 0 16px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .leg h3 { margin: 0; font: var(--mat-sys-title-medium); }
    .leg sb-quality-badge { align-self: flex-start; }
    .chart-wait { margin: 0; min-height: 240px; color: var(--mat-sys-on-surface-variant); }
    .problem { padding: 12px 16px; border-radius: 12px; background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .problem p { margin: 0 0 8px; }
  `,
})
export class QualityDetail {
  protected readonly data = inject<QualityDetailData>(MAT_DIALOG_DATA);
  private readonly api = inject(QualityApi);
  private readonly announcer = inject(LiveAnnouncer);
  protected readonly status = signal<'loading' | 'loaded' | 'failed'>('loading');
  protected readonly records = signal<readonly QualityRecord[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly heading = legHeading;

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.status.set('loading');
    this.error.set(null);
    try {
      const { records } = await firstValueFrom(this.api.recordsForCall(this.data.call.id));
      this.records.set(records);
      this.status.set('loaded');
      void this.announcer.announce(records.length === 0 ? 'No quality record for this call.' : `Quality record loaded: ${records.map(legHeading).join('; ')}.`, 'polite');
    } catch (error: unknown) {
      this.error.set(toApiErrorBody(error).message);
      this.status.set('failed');
    }
  }
}

/** Opens the detail for one call of the history list. */
export function openQualityDetail(dialog: MatDialog, data: QualityDetailData): MatDialogRef<QualityDetail> {
  return dialog.open(QualityDetail, { data, width: '880px', maxWidth: '96vw', autoFocus: 'dialog' });
}
