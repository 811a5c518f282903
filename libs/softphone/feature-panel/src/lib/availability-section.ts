import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Store } from '@ngrx/store';
import {
  AvailabilityMenuActions,
  selectAvailabilityMenuView,
  selectUnreachableView,
  selectWrapUpView,
} from '@switchboard/softphone-data-access-availability';
import { UnreachableBanner, WrapUpCard, type WrapUpResult } from '@switchboard/softphone-ui';

/**
 * The panel's part of availability: the banner while the phone cannot ring, the wrap-up card after a
 * customer call, and a refused status change with what to do (outside wrap-up; the card shows its own).
 */
@Component({
  selector: 'sb-availability-section',
  imports: [MatButtonModule, MatIconModule, UnreachableBanner, WrapUpCard],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (unreachable(); as u) {
      <sb-unreachable-banner [reason]="u.reason" [words]="u.words" [nextStep]="u.nextStep" />
    }
    @if (wrapUp(); as w) {
      <sb-wrap-up-card [dispositions]="w.dispositions" [endsAt]="w.endsAt" [saving]="w.isSaving" [problem]="w.problem"
                       (done)="finishWrapUp($event)" />
    } @else if (menu().problem; as problem) {
      <div class="notice" data-testid="status-problem">
        <mat-icon aria-hidden="true">error</mat-icon>
        <p>Your status was not changed. {{ problem.message }} {{ problem.nextStep }}</p>
        <button matIconButton type="button" aria-label="Dismiss" (click)="dismissProblem()"><mat-icon>close</mat-icon></button>
      </div>
    }
  `,
  styles: `
    :host { display: contents; }
    .notice { display: flex; align-items: center; gap: 8px; padding: 8px 12px; border-radius: 12px;
      background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .notice p { flex: 1; margin: 0; }
  `,
})
export class AvailabilitySection {
  private readonly store = inject(Store);
  protected readonly unreachable = this.store.selectSignal(selectUnreachableView);
  protected readonly wrapUp = this.store.selectSignal(selectWrapUpView);
  protected readonly menu = this.store.selectSignal(selectAvailabilityMenuView);

  protected finishWrapUp(result: WrapUpResult): void {
    this.store.dispatch(AvailabilityMenuActions.wrapUpDone(result));
  }
  protected dismissProblem(): void {
    this.store.dispatch(AvailabilityMenuActions.problemDismissed());
  }
}
