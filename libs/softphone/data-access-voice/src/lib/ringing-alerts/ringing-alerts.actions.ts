import { createActionGroup, emptyProps, props } from '@ngrx/store';
import type { CallId } from '@switchboard/shared-voice-model';
import type { DesktopNotificationPermission } from '../ports/desktop-notifications';

/** What the agent did in Settings' "Desktop notifications" control. */
export const DesktopNotificationSettingsActions = createActionGroup({
  source: 'Desktop Notification Settings',
  events: {
    /** "Turn on desktop notifications": the one place the browser is asked. */
    'Enable Clicked': emptyProps(),
  },
});

/** What the browser's Notification API reported. */
export const DesktopNotificationEvents = createActionGroup({
  source: 'Desktop Notifications',
  events: {
    /** Read at sign-in, and again when the agent changes it in the browser's site settings. */
    'Permission Read': props<{ permission: DesktopNotificationPermission }>(),
    /** The browser's answer to the Settings button. */
    'Permission Answered': props<{ permission: DesktopNotificationPermission }>(),
    /** The agent clicked the notification of a ringing call (the window was brought to the front). */
    Clicked: props<{ callId: CallId }>(),
  },
});
