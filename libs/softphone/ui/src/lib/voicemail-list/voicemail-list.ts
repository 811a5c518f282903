import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import type { AgentDirectoryEntry, Voicemail } from '@switchboard/shared-contracts';
import type { CountryCode } from '@switchboard/shared-util-phone';
import { formatDuration } from '../call-timer/call-timer';
import { LocalDateTimePipe } from '../locale/display-locale';
import { describeParty, partyText, type PartyView } from '../party/party';

/**
 * Voicemails with a native player each. `audioUrl` builds a same-origin URL, so the session cookie
 * authorizes playback and no token ever appears in a URL.
 */
@Component({
  selector: 'sb-voicemail-list',
  imports: [LocalDateTimePipe, MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (items().length === 0) {
      <p class="empty" data-testid="voicemail-empty">No voicemail.</p>
    }
    <ul class="list" aria-label="Voicemail">
      @for (item of items(); track item.id) {
        <li class="item" [class.unheard]="!item.heard" data-testid="voicemail-item" [attr.data-voicemail-id]="item.id"
            [attr.data-heard]="item.heard">
          <div class="meta">
            @let caller = callerOf(item);
            <span class="from" data-testid="voicemail-from">
              @if (!item.heard) { <span class="dot" aria-hidden="true"></span><span class="sb-visually-hidden">New: </span> }
              {{ caller.name }}@if (caller.detail) { <span class="detail"> ({{ caller.detail }})</span> }
            </span>
            <span class="when"><time [attr.datetime]="item.receivedAt">{{ item.receivedAt | localDateTime }}</time> · {{ duration(item.durationSeconds) }}</span>
          </div>
          <audio controls preload="none" [src]="audioUrl()(item.id)" (play)="played.emit(item.id)"
                 [attr.aria-label]="'Voicemail from ' + spoken(caller)" data-testid="voicemail-audio"></audio>
          @if (!item.heard) {
            <button matButton type="button" (click)="markHeard.emit(item.id)" data-testid="voicemail-mark-heard">
              <mat-icon>done</mat-icon> Mark as heard
            </button>
          }
        </li>
      }
    </ul>
  `,
  styles: `
    .list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
    .item { display: flex; flex-direction: column; gap: 6px; padding: 12px; border-radius: 12px; background: var(--mat-sys-surface-container-low); }
    .item.unheard { background: var(--mat-sys-secondary-container); color: var(--mat-sys-on-secondary-container); }
    .meta { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 4px 12px; }
    .from { font: var(--mat-sys-title-small); display: inline-flex; align-items: center; gap: 6px; overflow-wrap: anywhere; }
    .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--mat-sys-primary); }
    .when { font: var(--mat-sys-body-small); }
    .detail { font: var(--mat-sys-body-small); }
    audio { width: 100%; }
    .empty { color: var(--mat-sys-on-surface-variant); }
  `,
})
export class VoicemailList {
  readonly items = input<readonly Voicemail[]>([]);
  readonly audioUrl = input.required<(id: string) => string>();
  /** The agent directory, to name colleagues who left a message. */
  readonly agents = input<readonly AgentDirectoryEntry[]>([]);
  /** Numbers from this country are written the national way. */
  readonly homeCountry = input<CountryCode | undefined>(undefined);
  readonly markHeard = output<string>();
  readonly played = output<string>();
  protected readonly duration = formatDuration;
  protected readonly spoken = partyText;
  protected callerOf(item: Voicemail): PartyView {
    return describeParty(item.from, this.agents(), this.homeCountry());
  }
}
