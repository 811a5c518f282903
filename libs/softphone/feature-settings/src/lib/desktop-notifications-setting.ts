import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Store } from '@ngrx/store';
import { DesktopNotificationSettingsActions, selectDesktopNotificationsView } from '@switchboard/softphone-data-access-voice';

const PERMISSION_ICON = { 'not-asked': 'notifications_none', granted: 'notifications_active', denied: 'notifications_off', unsupported: 'notifications_off' } as const;

/**
 * "Desktop notifications": why they help, the browser's answer so far, and the one button that asks
 * (browsers only show their prompt after such a click, and an agent who has read why is likelier to allow).
 */
@Component({
  selector: 'sb-desktop-notifications-setting',
  imports: [MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="stack" aria-labelledby="desktop-notifications-heading" data-testid="desktop-notifications">
      <h3 id="desktop-notifications-heading" class="heading">Desktop notifications</h3>
      <p class="fact">
        When a call rings while Switchboard is in another tab or a minimised window, a desktop notification shows who is
        calling, and the tab title flashes.
      </p>
      <div class="row" role="status" data-testid="desktop-notifications-status" [attr.data-permission]="view().permission">
        <mat-icon aria-hidden="true">{{ icon[view().permission] }}</mat-icon>
        <p class="fact">
          {{ view().status }}
          @if (view().guidance; as guidance) { {{ guidance }} }
        </p>
      </div>
      @if (view().permission === 'not-asked') {
        <div class="row">
          <button matButton="tonal" type="button" [disabled]="!view().canAsk" (click)="enable()" data-testid="desktop-notifications-enable">
            <mat-icon>notifications</mat-icon> Turn on desktop notifications
          </button>
        </div>
      }
    </section>
  `,
  styles: `
    .stack { display: flex; flex-direction: column; gap: 8px; }
    .row { display: flex; align-items: center; gap: 8px; }
    .heading { margin: 8px 0 0; font: var(--mat-sys-title-small); }
    .fact { margin: 0; }
  `,
})
export class DesktopNotificationsSetting {
  private readonly store = inject(Store);
  protected readonly view = this.store.selectSignal(selectDesktopNotificationsView);
  protected readonly icon = PERMISSION_ICON;

  protected enable(): void {
    this.store.dispatch(DesktopNotificationSettingsActions.enableClicked());
  }
}
