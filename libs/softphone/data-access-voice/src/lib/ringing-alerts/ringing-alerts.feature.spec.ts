import { play } from '../testing-support/spec-helpers';
import { DesktopNotificationEvents, DesktopNotificationSettingsActions } from './ringing-alerts.actions';
import { ringingAlertsFeature, selectDesktopNotificationsView, type RingingAlertsState } from './ringing-alerts.feature';

const viewOf = (state: RingingAlertsState) => selectDesktopNotificationsView({ ringingAlerts: state });

describe('ringing alerts slice: desktop notification permission', () => {
  it('before it is read, offers to ask; while the prompt is open, the button waits', () => {
    expect(viewOf(play(ringingAlertsFeature.reducer))).toMatchObject({ permission: 'not-asked', canAsk: true, isAsking: false });
    const asking = play(ringingAlertsFeature.reducer, DesktopNotificationEvents.permissionRead({ permission: 'not-asked' }), DesktopNotificationSettingsActions.enableClicked());
    expect(viewOf(asking)).toMatchObject({ permission: 'not-asked', canAsk: false, isAsking: true });
  });

  it("records the browser's answer and says what it means, with how to allow a blocked one", () => {
    const denied = play(ringingAlertsFeature.reducer, DesktopNotificationSettingsActions.enableClicked(), DesktopNotificationEvents.permissionAnswered({ permission: 'denied' }));
    const view = viewOf(denied);
    expect(view).toMatchObject({ permission: 'denied', canAsk: false, isAsking: false });
    expect(view.status).toContain('blocked');
    expect(view.guidance).toContain('address bar');
    expect(view.guidance).toContain('Allow');

    const granted = viewOf(play(ringingAlertsFeature.reducer, DesktopNotificationEvents.permissionRead({ permission: 'granted' })));
    expect(granted).toMatchObject({ permission: 'granted', canAsk: false, guidance: null });
    expect(granted.status).toContain('another tab');
  });

  it('where there are no notifications, says the title still flashes', () => {
    const view = viewOf(play(ringingAlertsFeature.reducer, DesktopNotificationEvents.permissionRead({ permission: 'unsupported' })));
    expect(view).toMatchObject({ permission: 'unsupported', canAsk: false });
    expect(view.guidance).toContain('title still flashes');
  });
});
