import type { DesktopNotificationPermission } from '@switchboard/softphone-data-access-voice';
import { firstValueFrom, type Subscription } from 'rxjs';
import { BrowserDesktopNotifications, type NotificationWindow } from './browser-desktop-notifications';

/** A stand-in for window.Notification: records each notification built and whether it was closed. */
function fakeWindow(permission: NotificationPermission, answer: NotificationPermission = 'granted') {
  const built: { title: string; options: NotificationOptions | undefined; closed: boolean; instance: Notification }[] = [];
  const focus = jest.fn();
  const requestPermission = jest.fn(async () => {
    FakeNotification.permission = answer;
    return answer;
  });
  class FakeNotification {
    static permission: NotificationPermission = permission;
    static requestPermission = requestPermission;
    onclick: ((this: Notification, event: Event) => unknown) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      built.push({ title, options, closed: false, instance: this as unknown as Notification });
    }
    close(): void {
      const entry = built.find((b) => b.instance === (this as unknown as Notification));
      if (entry) entry.closed = true;
    }
  }
  const status = new EventTarget() as EventTarget & { state: PermissionState };
  status.state = 'prompt';
  const query = jest.fn(async () => status as unknown as PermissionStatus);
  const window: NotificationWindow = {
    Notification: FakeNotification as unknown as NotificationWindow['Notification'],
    navigator: { permissions: { query } },
    focus,
  };
  return { window, built, focus, requestPermission, status, query, FakeNotification };
}

const request = { title: 'Incoming call from bob', body: 'Incoming call from bob. Open Switchboard to answer.', tag: 'switchboard-incoming-CA1' };

describe('BrowserDesktopNotifications', () => {
  it("names the browser's permission in the agent's words, and says when there is no Notification API", () => {
    expect(new BrowserDesktopNotifications(fakeWindow('default').window).permission()).toBe('not-asked');
    expect(new BrowserDesktopNotifications(fakeWindow('granted').window).permission()).toBe('granted');
    expect(new BrowserDesktopNotifications(fakeWindow('denied').window).permission()).toBe('denied');
    expect(new BrowserDesktopNotifications({ navigator: {}, focus: jest.fn() }).permission()).toBe('unsupported');
    expect(new BrowserDesktopNotifications(null).permission()).toBe('unsupported');
  });

  it('asks the browser only when requested, and gives its answer', async () => {
    const fake = fakeWindow('default', 'denied');
    const notifications = new BrowserDesktopNotifications(fake.window);
    expect(fake.requestPermission).not.toHaveBeenCalled();
    await expect(firstValueFrom(notifications.requestPermission())).resolves.toBe('denied');
    expect(fake.requestPermission).toHaveBeenCalledTimes(1);
  });

  it('shows a tagged notification that stays up, focuses the window on click, and closes on unsubscribe', () => {
    const fake = fakeWindow('granted');
    const clicks: string[] = [];
    const subscription: Subscription = new BrowserDesktopNotifications(fake.window).show(request).subscribe((c) => clicks.push(c));
    expect(fake.built).toHaveLength(1);
    expect(fake.built[0]).toMatchObject({ title: request.title, options: { body: request.body, tag: request.tag, requireInteraction: true }, closed: false });

    fake.built[0].instance.onclick?.call(fake.built[0].instance, new Event('click'));
    expect(fake.focus).toHaveBeenCalledTimes(1);
    expect(clicks).toEqual(['clicked']);

    subscription.unsubscribe();
    expect(fake.built[0].closed).toBe(true);
  });

  it('shows nothing without permission', () => {
    const fake = fakeWindow('default');
    new BrowserDesktopNotifications(fake.window).show(request).subscribe().unsubscribe();
    expect(fake.built).toHaveLength(0);
  });

  it('follows changes made in the browser site settings through the Permissions API', async () => {
    const fake = fakeWindow('default');
    const seen: DesktopNotificationPermission[] = [];
    const subscription = new BrowserDesktopNotifications(fake.window).permissionChanges().subscribe((p) => seen.push(p));
    await Promise.resolve();
    await Promise.resolve();
    expect(fake.query).toHaveBeenCalledWith({ name: 'notifications' });
    fake.status.state = 'denied';
    fake.status.dispatchEvent(new Event('change'));
    fake.status.state = 'granted';
    fake.status.dispatchEvent(new Event('change'));
    subscription.unsubscribe();
    expect(seen).toEqual(['denied', 'granted']);
  });
});
