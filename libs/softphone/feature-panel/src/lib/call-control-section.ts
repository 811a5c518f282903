import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { Store } from '@ngrx/store';
import type { ConsultAction, TransferMode } from '@switchboard/shared-contracts';
import { CallControlPanelActions, selectCallControlView, selectSoftphoneViewModel } from '@switchboard/softphone-data-access-voice';
import { AgentDirectoryStore, RingGroupsStore } from '@switchboard/softphone-data-access-api';
import { CallControlBar, ParticipantsList, RejoinBanner, injectHomeCountry, openTransferDialog } from '@switchboard/softphone-ui';
import { announceCallControlChanges } from './softphone-announcer';
import { callControlShortcut } from './softphone-shortcuts';

/**
 * Call control of a conference-anchored customer call: the bar and participants while the API says
 * the call is controllable, the transfer dialog, the rejoin banner after a drop, and notices
 * ("the caller is back with you"). Shows nothing otherwise, so direct agent-to-agent calls and
 * today's flows look exactly as before.
 */
@Component({
  selector: 'sb-call-control-section',
  imports: [MatButtonModule, MatIconModule, CallControlBar, ParticipantsList, RejoinBanner],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown)': 'onKeydown($event)' },
  template: `
    @let cc = view();
    @if (cc.rejoin; as offer) {
      <sb-rejoin-banner [customer]="offer.customerDisplay" [expiresAt]="offer.expiresAt" [rejoining]="offer.isRejoining"
                        (rejoinRequested)="rejoin(offer.callSid)" />
    }
    @if (cc.notice; as notice) {
      <div class="notice" role="status" data-testid="call-control-notice">
        <mat-icon aria-hidden="true">info</mat-icon>
        <p>{{ notice }}</p>
        <button matIconButton type="button" aria-label="Dismiss" data-testid="call-control-notice-dismiss" (click)="dismissNotice()">
          <mat-icon>close</mat-icon>
        </button>
      </div>
    }
    @if (cc.visible && cc.callSid; as callSid) {
      <sb-call-control-bar [phase]="cc.phase" [heldSince]="cc.heldSince" [transferStatus]="cc.transferStatusText" [pending]="cc.isPending"
                           (holdToggled)="setHeld(callSid, $event)" (transferRequested)="openTransfer(callSid, 'cold')"
                           (consultRequested)="openTransfer(callSid, 'consult')" (consultAction)="finishConsult(callSid, $event)" />
      <sb-participants-list [participants]="cc.participants" [selfIdentity]="selfIdentity()" />
    }
  `,
  styles: `
    /* Its parts sit in the panel's own column: an empty section adds no gap. */
    :host { display: contents; }
    .notice { display: flex; align-items: center; gap: 8px; padding: 8px 12px; border-radius: 12px;
      background: var(--mat-sys-secondary-container); color: var(--mat-sys-on-secondary-container); }
    .notice p { flex: 1; margin: 0; }
  `,
})
export class CallControlSection {
  private readonly store = inject(Store);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);
  private readonly directory = inject(AgentDirectoryStore);
  private readonly ringGroups = inject(RingGroupsStore);
  private readonly homeCountry = injectHomeCountry();
  private readonly softphone = this.store.selectSignal(selectSoftphoneViewModel);
  protected readonly view = this.store.selectSignal(selectCallControlView);
  protected readonly selfIdentity = computed(() => this.softphone().agent?.identity ?? null);

  constructor() {
    announceCallControlChanges(this.view, this.selfIdentity);
    // Ready before the first transfer; a failed load is tried again when the dialog opens.
    void this.ringGroups.load();
  }

  protected onKeydown(event: KeyboardEvent): void {
    const intent = callControlShortcut(event, this.view());
    const callSid = this.view().callSid;
    if (!intent || !callSid) return;
    event.preventDefault();
    if (intent === 'hold' || intent === 'resume') this.setHeld(callSid, intent === 'hold');
    else if (intent === 'transfer' || intent === 'consult') this.openTransfer(callSid, intent === 'transfer' ? 'cold' : 'consult');
    else this.rejoin(this.view().rejoin?.callSid ?? callSid);
  }

  protected setHeld(callSid: string, held: boolean): void {
    this.store.dispatch(held ? CallControlPanelActions.holdClicked({ callSid }) : CallControlPanelActions.resumeClicked({ callSid }));
  }

  protected openTransfer(callSid: string, mode: TransferMode): void {
    this.store.dispatch(CallControlPanelActions.transferOpened());
    void this.ringGroups.load();
    openTransferDialog(this.dialog, {
      mode,
      agents: this.directory.agents(),
      // Without them (the list failed to load) agents and numbers still work.
      ringGroups: this.ringGroups.groups(),
      selfIdentity: this.softphone().agent?.identity,
      defaultCountry: this.homeCountry,
    })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((choice) =>
        this.store.dispatch(
          choice ? CallControlPanelActions.transferSubmitted({ callSid, ...choice }) : CallControlPanelActions.transferDismissed(),
        ),
      );
  }

  protected finishConsult(callSid: string, action: ConsultAction): void {
    this.store.dispatch(CallControlPanelActions.consultActionClicked({ callSid, action }));
  }

  protected rejoin(callSid: string): void {
    this.store.dispatch(CallControlPanelActions.rejoinClicked({ callSid }));
  }

  protected dismissNotice(): void {
    this.store.dispatch(CallControlPanelActions.noticeDismissed());
  }
}
