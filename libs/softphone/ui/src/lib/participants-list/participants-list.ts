import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import type { CallParticipant, ParticipantRole } from '@switchboard/shared-contracts';

const ROLE_WORDS: Readonly<Record<ParticipantRole, string>> = { customer: 'Caller', agent: 'Agent', supervisor: 'Supervisor' };
const ROLE_ICONS: Readonly<Record<ParticipantRole, string>> = { customer: 'person', agent: 'support_agent', supervisor: 'supervisor_account' };

/**
 * Who is on the call; held and muted state in words (the icons beside them are decoration). The agent's
 * own entry is kept (their held/muted state as the conference has it) but shown first as "You", never
 * by their own name as if they were a colleague.
 */
@Component({
  selector: 'sb-participants-list',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h3 class="heading" id="sb-participants-heading">On this call</h3>
    <ul class="people" aria-labelledby="sb-participants-heading" data-testid="participants">
      @for (row of rows(); track row.person.participantId) {
        @let person = row.person;
        <li class="person" data-testid="participant" [attr.data-role]="person.role" [attr.data-self]="row.isSelf || null">
          <mat-icon aria-hidden="true">{{ row.isSelf ? 'account_circle' : roleIcons[person.role] }}</mat-icon>
          <span class="who">
            <span class="name" data-testid="participant-name">{{ row.isSelf ? 'You' : person.displayName }}</span>
            <span class="detail" data-testid="participant-role">{{ roleWords[person.role] }}@if (!row.isSelf && (person.identity ?? person.maskedNumber); as detail) { · {{ detail }}}</span>
          </span>
          <span class="states" data-testid="participant-states">
            @if (person.held) {
              <span class="state"><mat-icon aria-hidden="true">pause_circle</mat-icon>On hold</span>
            }
            @if (person.muted) {
              <span class="state"><mat-icon aria-hidden="true">mic_off</mat-icon>Muted</span>
            }
          </span>
        </li>
      } @empty {
        <li class="empty">Nobody else yet.</li>
      }
    </ul>
  `,
  styles: `
    .heading { margin: 0 0 4px; font: var(--mat-sys-title-small); }
    .people { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
    .person { display: flex; align-items: center; gap: 8px; }
    .who { flex: 1; min-width: 0; display: flex; flex-direction: column; }
    .name { overflow-wrap: anywhere; }
    .detail, .empty { font: var(--mat-sys-body-small); color: var(--mat-sys-on-surface-variant); }
    .states { display: flex; gap: 8px; font: var(--mat-sys-label-medium); }
    .state { display: inline-flex; align-items: center; gap: 2px; }
    .state mat-icon { width: 18px; height: 18px; font-size: 18px; }
  `,
})
export class ParticipantsList {
  readonly participants = input<readonly CallParticipant[]>([]);
  /** The signed-in agent's identity: their own entry reads "You". */
  readonly selfIdentity = input<string | null | undefined>(null);
  protected readonly rows = computed(() => {
    const self = this.selfIdentity();
    const rows = this.participants().map((person) => ({ person, isSelf: !!self && person.identity === self }));
    return [...rows.filter((row) => row.isSelf), ...rows.filter((row) => !row.isSelf)];
  });
  protected readonly roleWords = ROLE_WORDS;
  protected readonly roleIcons = ROLE_ICONS;
}
