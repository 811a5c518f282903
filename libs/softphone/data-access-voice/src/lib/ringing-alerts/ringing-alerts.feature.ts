import { createFeature, createReducer, createSelector, on } from '@ngrx/store';
import type { DesktopNotificationPermission } from '../ports/desktop-notifications';
import { DesktopNotificationEvents, DesktopNotificationSettingsActions } from './ringing-alerts.actions';

export interface RingingAlertsState {
  /** null until read at sign-in. */
  readonly notificationPermission: DesktopNotificationPermission | null;
  /** The browser's permission prompt is open. */
  readonly isAskingPermission: boolean;
}

export const initialRingingAlertsState: RingingAlertsState = { notificationPermission: null, isAskingPermission: false };

export const ringingAlertsFeature = createFeature({
  name: 'ringingAlerts',
  reducer: createReducer(
    initialRingingAlertsState,
    on(DesktopNotificationEvents.permissionRead, (state, { permission }): RingingAlertsState => ({ ...state, notificationPermission: permission })),
    on(DesktopNotificationSettingsActions.enableClicked, (state): RingingAlertsState => ({ ...state, isAskingPermission: true })),
    on(DesktopNotificationEvents.permissionAnswered, (state, { permission }): RingingAlertsState => ({
      ...state,
      notificationPermission: permission,
      isAskingPermission: false,
    })),
  ),
});

/** The Settings control: what the permission is, in words, and whether the button may ask. */
export interface DesktopNotificationsView {
  readonly permission: DesktopNotificationPermission;
  readonly isAsking: boolean;
  /** Only while the browser has not been asked: a denied answer can only be changed in the browser. */
  readonly canAsk: boolean;
  /** The state in one sentence. */
  readonly status: string;
  /** What to do next, when there is something to do. */
  readonly guidance: string | null;
}

export const DESKTOP_NOTIFICATION_STATUS: Readonly<Record<DesktopNotificationPermission, { readonly status: string; readonly guidance: string | null }>> = {
  'not-asked': {
    status: 'Desktop notifications are off.',
    guidance: 'Your browser will ask you to allow them when you press the button.',
  },
  granted: {
    status: 'Desktop notifications are on: a call ringing while Switchboard is in another tab or window shows one.',
    guidance: null,
  },
  denied: {
    status: 'Desktop notifications are blocked for Switchboard in this browser.',
    guidance:
      'To allow them, click the site information icon at the left of the address bar, set Notifications to Allow, then reload Switchboard.',
  },
  unsupported: {
    status: 'This browser cannot show desktop notifications.',
    guidance: 'The tab title still flashes when a call rings while Switchboard is out of sight.',
  },
};

export const selectDesktopNotificationsView = createSelector(
  ringingAlertsFeature.selectRingingAlertsState,
  ({ notificationPermission, isAskingPermission }): DesktopNotificationsView => {
    const permission = notificationPermission ?? 'not-asked';
    return {
      permission,
      isAsking: isAskingPermission,
      canAsk: permission === 'not-asked' && !isAskingPermission,
      ...DESKTOP_NOTIFICATION_STATUS[permission],
    };
  },
);
