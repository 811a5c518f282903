import { createActionGroup, emptyProps } from '@ngrx/store';

/** Our own token refresh timer (the SDK's tokenWillExpire can fire only once, twilio-voice.js#93). */
export const TokenRefreshTimerEvents = createActionGroup({
  source: 'Token Refresh Timer',
  events: {
    /** The token is due for a refresh: before expiry, or again after a failed refresh. */
    Due: emptyProps(),
  },
});
