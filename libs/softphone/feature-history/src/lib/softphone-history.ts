import { ChangeDetectionStrategy, Component, effect, inject, signal, untracked } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTabsModule } from '@angular/material/tabs';
import type { ApiErrorBody, CallRecord, Page } from '@switchboard/shared-contracts';
import { AgentDirectoryStore, CallsApi, SessionStore, VoicemailInboxStore, toApiErrorBody } from '@switchboard/softphone-data-access-api';
import { CallHistoryList, VoicemailList, describeParty, injectHomeCountry, type HistoryPageRequest } from '@switchboard/softphone-ui';
import { firstValueFrom } from 'rxjs';
import { HistoryLineTests } from './history-line-tests';
import { openQualityDetail } from './quality-detail';

export const DEFAULT_HISTORY_PAGE_SIZE = 10;

/** The agent's calls (paged from the API), voicemail (playback, mark heard) and line tests. */
@Component({
  selector: 'sb-softphone-history',
  imports: [MatProgressBarModule, MatTabsModule, CallHistoryList, HistoryLineTests, VoicemailList],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="page" aria-label="History">
      <mat-tab-group mat-stretch-tabs="false" [(selectedIndex)]="selectedTab">
        <mat-tab label="Calls">
          @if (callsLoading()) { <mat-progress-bar mode="indeterminate" aria-label="Loading calls" /> }
          @if (callsError(); as error) { <p class="error" role="alert" data-testid="history-error">{{ error.message }}</p> }
          <sb-call-history-list [page]="calls()" [agentIdentity]="session.agent()?.identity ?? null" [agents]="directory.agents()" [homeCountry]="homeCountry" (pageRequested)="loadCalls($event)"
                                (qualityDetailRequested)="openQualityDetail($event)" />
        </mat-tab>
        <mat-tab [label]="inbox.unheard() > 0 ? 'Voicemail (' + inbox.unheard() + ' new)' : 'Voicemail'">
          @if (inbox.status() === 'loading') { <mat-progress-bar mode="indeterminate" aria-label="Loading voicemail" /> }
          @if (inbox.error(); as error) { <p class="error" role="alert" data-testid="voicemail-error">{{ error.message }}</p> }
          <sb-voicemail-list [items]="inbox.items()" [audioUrl]="audioUrl" [agents]="directory.agents()" [homeCountry]="homeCountry" (markHeard)="markHeard($event)" (played)="markHeard($event)" />
        </mat-tab>
        <mat-tab label="Line tests">
          <!-- Lazy: the tests are fetched when the agent opens the tab, not with every History visit. -->
          <ng-template matTabContent><sb-history-line-tests /></ng-template>
        </mat-tab>
      </mat-tab-group>
    </main>
  `,
  styles: `
    .page { max-width: 760px; margin: 0 auto; padding: 8px 12px 16px; }
    .error { color: var(--mat-sys-error); }
    sb-voicemail-list, sb-call-history-list, sb-history-line-tests { display: block; padding-top: 12px; }
  `,
})
export class SoftphoneHistory {
  private readonly callsApi = inject(CallsApi);
  protected readonly session = inject(SessionStore);
  protected readonly inbox = inject(VoicemailInboxStore);
  /** Colleagues are shown by name; numbers of the browser locale's country the national way. */
  protected readonly directory = inject(AgentDirectoryStore);
  protected readonly homeCountry = injectHomeCountry();
  protected readonly calls = signal<Page<CallRecord>>({ items: [], page: 1, pageSize: DEFAULT_HISTORY_PAGE_SIZE, total: 0 });
  protected readonly callsLoading = signal(false);
  protected readonly callsError = signal<ApiErrorBody | null>(null);
  protected readonly audioUrl = (id: string) => this.inbox.audioUrl(id);
  /**
   * The page opens on Voicemail when new messages wait; after that the agent chooses. (Bound to the unheard
   * count instead, marking the last message heard threw the agent back to Calls.)
   */
  protected readonly selectedTab = signal(0);

  constructor() {
    const openOnNewVoicemail = effect(() => {
      if (this.inbox.status() !== 'loaded') return;
      if (this.inbox.unheard() > 0) untracked(() => this.selectedTab.set(1));
      openOnNewVoicemail.destroy();
    });
    void this.loadCalls({ page: 1, pageSize: DEFAULT_HISTORY_PAGE_SIZE });
    void this.inbox.load();
    void this.directory.load();
  }

  protected async loadCalls(request: HistoryPageRequest): Promise<void> {
    this.callsLoading.set(true);
    this.callsError.set(null);
    try {
      this.calls.set(await firstValueFrom(this.callsApi.list(request)));
    } catch (error) {
      this.callsError.set(toApiErrorBody(error));
    } finally {
      this.callsLoading.set(false);
    }
  }

  private readonly dialog = inject(MatDialog);

  /** The call's quality, leg by leg, in a dialog over the list (which keeps its page and scroll). */
  protected openQualityDetail(call: CallRecord): void {
    const identity = this.session.agent()?.identity ?? null;
    const incoming = call.direction === 'inbound' || (identity !== null && call.to === `client:${identity}`);
    const party = describeParty(incoming ? call.from : call.to, this.directory.agents(), this.homeCountry);
    openQualityDetail(this.dialog, { call, partyName: party.name });
  }

  /** Playing a message counts as hearing it. */
  protected markHeard(id: string): void {
    void this.inbox.markHeard(id);
  }
}
