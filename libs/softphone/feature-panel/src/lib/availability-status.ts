import { ChangeDetectionStrategy, Component, computed, inject, viewChild } from '@angular/core';
import { Store } from '@ngrx/store';
import { AgentDirectoryStore } from '@switchboard/softphone-data-access-api';
import {
  AvailabilityMenuActions,
  availabilityFeature,
  selectAvailabilityAnnouncementSource,
  selectAvailabilityMenuView,
  selectUnreachableView,
} from '@switchboard/softphone-data-access-availability';
import { AvailabilityMenu, describeParty, shortcutFor } from '@switchboard/softphone-ui';
import { announceAvailabilityChanges } from './availability-announcer';

/**
 * The agent's status in the header: the status menu (Alt+S opens it) and the announcements of every
 * change of availability or reachability, whoever made it.
 */
@Component({
  selector: 'sb-availability-status',
  imports: [AvailabilityMenu],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '(document:keydown)': 'onKeydown($event)',
    // For tests and tools: whether this agent is offered calls now (state, and reachability as the API said last).
    'data-testid': 'availability-status',
    '[attr.data-state]': "view().state ?? 'unknown'",
    '[attr.data-reachable]': "reachability() === null ? 'unknown' : reachability()?.reachable ? 'true' : 'false'",
  },
  template: `
    @let menu = view();
    <sb-availability-menu [state]="menu.state" [label]="menu.label" [since]="menu.since" [hint]="menu.hint"
                          [canChooseAvailable]="menu.canChooseAvailable" [canChooseAway]="menu.canChooseAway" [awayOptions]="menu.awayOptions"
                          (availableChosen)="chooseAvailable()" (awayChosen)="chooseAway($event)" />
  `,
})
export class AvailabilityStatus {
  private readonly store = inject(Store);
  private readonly directory = inject(AgentDirectoryStore);
  protected readonly view = this.store.selectSignal(selectAvailabilityMenuView);
  private readonly menu = viewChild.required(AvailabilityMenu);
  private readonly change = this.store.selectSignal(selectAvailabilityAnnouncementSource);
  private readonly unreachable = this.store.selectSignal(selectUnreachableView);
  protected readonly reachability = this.store.selectSignal(availabilityFeature.selectReachability);
  private readonly problem = this.store.selectSignal(availabilityFeature.selectProblem);

  constructor() {
    announceAvailabilityChanges(
      computed(() => ({ change: this.change(), unreachable: this.unreachable(), reachabilityKnown: this.reachability() !== null, problem: this.problem() })),
      () => (identity) => describeParty(`client:${identity}`, this.directory.agents()).name,
    );
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (shortcutFor(event) !== 'status') return;
    event.preventDefault();
    this.menu().open();
  }

  protected chooseAvailable(): void {
    this.store.dispatch(AvailabilityMenuActions.availableChosen());
  }
  protected chooseAway(reason: string): void {
    this.store.dispatch(AvailabilityMenuActions.awayChosen({ reason }));
  }
}
