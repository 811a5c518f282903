import { describeAppError, describeVoiceError } from '@switchboard/shared-voice-model';
import { SessionEvents } from '../session.actions';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { play } from '../testing-support/spec-helpers';
import { connectionFeature } from './connection.feature';
import { DeviceSdkEvents } from './device-sdk.actions';
import { PageCheckEvents } from './page-checks.actions';
import { VoiceRegistrationEvents } from './registration.actions';
import { TabLeadershipEvents } from './tab-leadership.actions';
import { VoiceTokenApiEvents } from './voice-token-api.actions';

const reducer = connectionFeature.reducer;
const agent = { identity: 'alice', displayName: 'Alice' };
const expiresAt = '2026-11-24T10:00:00.000Z';
const online = [
  SessionEvents.signedIn({ agent }),
  VoiceTokenApiEvents.issued({ identity: 'alice', expiresAt }),
  DeviceSdkEvents.registering(),
  DeviceSdkEvents.registered({ edge: 'ashburn' }),
];

describe('connection slice as event paths', () => {
  it('signs in, fetches a token, registers and is online', () => {
    expect(play(reducer, ...online)).toMatchObject({ phase: 'registered', identity: 'alice', tokenExpiresAt: expiresAt, edge: 'ashburn', error: null, rejected: null });
  });

  it('another tab has the phone: standby on sign-in, and the Device\'s last events and stale retries leave it there', () => {
    const standby = play(reducer, SessionEvents.signedIn({ agent }), TabLeadershipEvents.lost());
    expect(standby).toMatchObject({ phase: 'standby', identity: 'alice', error: null, rejected: null });
    const after = play(reducer, ...online, TabLeadershipEvents.lost(), DeviceSdkEvents.unregistered(), DeviceSdkEvents.destroyed(),
      VoiceRegistrationEvents.retryDue(), SoftphonePanelActions.reconnectClicked(), DeviceSdkEvents.failed({ error: describeVoiceError(20104), at: 7 }));
    expect(after).toMatchObject({ phase: 'standby', rejected: null });
    expect(after.recentErrors.map((e) => e.error.code)).toEqual([20104]);
  });

  it('getting the phone back from standby fetches a token; right after sign-in it changes nothing', () => {
    expect(play(reducer, SessionEvents.signedIn({ agent }), TabLeadershipEvents.lost(), TabLeadershipEvents.gained())).toMatchObject({ phase: 'fetching-token', rejected: null });
    expect(play(reducer, SessionEvents.signedIn({ agent }), TabLeadershipEvents.gained())).toMatchObject({ phase: 'fetching-token', rejected: null });
    expect(play(reducer, ...online, TabLeadershipEvents.gained())).toMatchObject({ phase: 'registered' });
  });

  it('a signed-out tab cannot be put in standby (refused and recorded)', () => {
    expect(play(reducer, TabLeadershipEvents.lost())).toMatchObject({ phase: 'signed-out', rejected: { from: 'signed-out', to: 'standby' } });
  });

  it('a token issued after the Device already reported registered does not move it back', () => {
    const state = play(reducer, SessionEvents.signedIn({ agent }), DeviceSdkEvents.registering(), DeviceSdkEvents.registered({ edge: null }), VoiceTokenApiEvents.issued({ identity: 'alice', expiresAt }));
    expect(state).toMatchObject({ phase: 'registered', tokenExpiresAt: expiresAt });
  });

  it('drops to unregistered, schedules a retry, and heals', () => {
    const dropped = play(reducer, ...online, DeviceSdkEvents.unregistered(), VoiceRegistrationEvents.retryScheduled({ attempt: 1, delayMs: 1000 }));
    expect(dropped).toMatchObject({ phase: 'unregistered', retry: { attempt: 1, delayMs: 1000 } });
    expect(play(reducer, ...online, DeviceSdkEvents.unregistered(), DeviceSdkEvents.registered({ edge: null }))).toMatchObject({ phase: 'registered', retry: null, edge: 'ashburn' });
  });

  it('a page check finds the Device gone: fetch a token again; a failed check records the error', () => {
    expect(play(reducer, ...online, DeviceSdkEvents.destroyed(), PageCheckEvents.reconnectNeeded())).toMatchObject({ phase: 'fetching-token' });
    expect(play(reducer, ...online, PageCheckEvents.failed({ error: describeAppError('RegistrationTimeout') }))).toMatchObject({ error: { name: 'RegistrationTimeout' } });
  });

  it('an expired token (20104) goes back to fetching a token, keeping the reason', () => {
    const state = play(reducer, ...online, DeviceSdkEvents.failed({ error: describeVoiceError(20104), at: 5 }));
    expect(state).toMatchObject({ phase: 'fetching-token', error: { code: 20104 } });
    expect(state.recentErrors).toEqual([{ error: describeVoiceError(20104), at: 5 }]);
  });

  it('a configuration error (31201) stops in error with guidance; "Try again" fetches a token', () => {
    const failed = play(reducer, ...online, DeviceSdkEvents.failed({ error: describeVoiceError(31201), at: 5 }));
    expect(failed).toMatchObject({ phase: 'error', error: { code: 31201, category: 'configuration' } });
    expect(reducer(failed, SoftphonePanelActions.reconnectClicked()).phase).toBe('fetching-token');
  });

  it('a signaling hiccup (31005) is recorded but does not move the phase', () => {
    expect(play(reducer, ...online, DeviceSdkEvents.failed({ error: describeVoiceError(31005), at: 5 })).phase).toBe('registered');
  });

  it('a watchdog timeout while registering is retried (unregistered), not a dead end', () => {
    const state = play(reducer, ...online.slice(0, 3), VoiceRegistrationEvents.timedOut({ error: describeAppError('RegistrationTimeout') }));
    expect(state).toMatchObject({ phase: 'unregistered', error: { name: 'RegistrationTimeout' } });
  });

  it('token refresh runs beside the phase and never drops registered', () => {
    const base = play(reducer, ...online, DeviceSdkEvents.tokenWillExpire());
    expect(base).toMatchObject({ phase: 'registered', tokenRefresh: 'pending' });
    expect(reducer(base, VoiceTokenApiEvents.refreshDeferred())).toMatchObject({ phase: 'registered', tokenRefresh: 'deferred' });
    const failed = reducer(base, VoiceTokenApiEvents.refreshFailed({ error: describeAppError('TokenFetchFailed') }));
    expect(failed).toMatchObject({ phase: 'registered', tokenRefresh: 'failed', tokenRefreshError: { name: 'TokenFetchFailed' } });
    expect(reducer(failed, VoiceTokenApiEvents.refreshed({ expiresAt: '2026-11-24T11:00:00.000Z' }))).toMatchObject({
      tokenRefresh: 'idle',
      tokenRefreshError: null,
      tokenExpiresAt: '2026-11-24T11:00:00.000Z',
    });
  });

  it('refuses "registered" while signed out, and says so', () => {
    const state = play(reducer, DeviceSdkEvents.registered({ edge: null }));
    expect(state).toMatchObject({ phase: 'signed-out', rejected: { from: 'signed-out', to: 'registered', event: DeviceSdkEvents.registered.type } });
  });

  it('refuses going straight from destroyed to registered', () => {
    const state = play(reducer, ...online, DeviceSdkEvents.destroyed(), DeviceSdkEvents.registered({ edge: null }));
    expect(state).toMatchObject({ phase: 'destroyed', rejected: { from: 'destroyed', to: 'registered' } });
  });

  it('sign-out from anywhere resets, keeping the chosen log level', () => {
    const state = play(reducer, ...online, VoiceRegistrationEvents.logLevelApplied({ level: 'debug' }), SessionEvents.signedOut());
    expect(state).toMatchObject({ phase: 'signed-out', identity: null, tokenExpiresAt: null, logLevel: 'debug' });
  });
});
