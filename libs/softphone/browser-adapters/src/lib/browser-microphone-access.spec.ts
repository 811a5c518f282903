import { DOCUMENT } from '@angular/common';
import { TestBed } from '@angular/core/testing';
import type { BrowserMicrophonePermission } from '@switchboard/softphone-data-access-voice';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { BrowserMicrophoneAccess, MICROPHONE_GET_USER_MEDIA, type GetUserMedia } from './browser-microphone-access';

function accessWith(navigator: Partial<Navigator> | undefined, getUserMedia: GetUserMedia | null = null): BrowserMicrophoneAccess {
  TestBed.configureTestingModule({
    providers: [
      { provide: DOCUMENT, useValue: { defaultView: navigator ? { navigator } : null } },
      { provide: MICROPHONE_GET_USER_MEDIA, useValue: getUserMedia },
    ],
  });
  return TestBed.inject(BrowserMicrophoneAccess);
}

const refusing = (name: string): GetUserMedia =>
  jest.fn(async () => {
    throw Object.assign(new Error(name), { name });
  });

describe('BrowserMicrophoneAccess: check', () => {
  it('asks through the getUserMedia override and stops every track at once', async () => {
    const stop = jest.fn();
    const getUserMedia = jest.fn(async () => ({ getTracks: () => [{ stop }, { stop }] }) as unknown as MediaStream);
    const browserGetUserMedia = jest.fn();
    const access = accessWith({ mediaDevices: { getUserMedia: browserGetUserMedia } as unknown as MediaDevices }, getUserMedia);
    await expect(firstValueFrom(access.check())).resolves.toEqual({ permission: 'granted' });
    expect(getUserMedia).toHaveBeenCalledWith({ audio: true });
    expect(browserGetUserMedia).not.toHaveBeenCalled();
    expect(stop).toHaveBeenCalledTimes(2);
  });

  it("asks the browser's mediaDevices when there is no override", async () => {
    const getUserMedia = jest.fn(async () => ({ getTracks: () => [] }) as unknown as MediaStream);
    const access = accessWith({ mediaDevices: { getUserMedia } as unknown as MediaDevices });
    await expect(firstValueFrom(access.check())).resolves.toEqual({ permission: 'granted' });
    expect(getUserMedia).toHaveBeenCalledWith({ audio: true });
  });

  it('a refusal is data (denied + guidance), a missing microphone too', async () => {
    await expect(firstValueFrom(accessWith(undefined, refusing('NotAllowedError')).check())).resolves.toMatchObject({
      permission: 'denied',
      error: { name: 'MicrophoneDenied', category: 'microphone' },
    });
    TestBed.resetTestingModule();
    await expect(firstValueFrom(accessWith(undefined, refusing('NotFoundError')).check())).resolves.toMatchObject({
      permission: 'denied',
      error: { name: 'MicrophoneUnavailable' },
    });
  });

  it('a browser without getUserMedia is reported as unsupported', async () => {
    await expect(firstValueFrom(accessWith({}).check())).resolves.toMatchObject({ permission: 'denied', error: { name: 'BrowserUnsupported' } });
  });
});

describe('BrowserMicrophoneAccess: permission changes', () => {
  it('reports each change of the microphone permission until unsubscribed', async () => {
    const status = Object.assign(new EventTarget(), { state: 'prompt' as PermissionState });
    const listening = new Promise<void>((resolve) => {
      const addEventListener = status.addEventListener.bind(status);
      status.addEventListener = (...args: Parameters<EventTarget['addEventListener']>) => (addEventListener(...args), resolve());
    });
    const query = jest.fn(async () => status as unknown as PermissionStatus);
    const access = accessWith({ permissions: { query } as unknown as Permissions });
    const seen: BrowserMicrophonePermission[] = [];
    const subscription = access.permissionChanges().subscribe((permission) => seen.push(permission));
    await listening;
    status.state = 'granted';
    status.dispatchEvent(new Event('change'));
    subscription.unsubscribe();
    status.state = 'denied';
    status.dispatchEvent(new Event('change'));
    expect(query).toHaveBeenCalledWith({ name: 'microphone' });
    expect(seen).toEqual(['granted']);
  });

  it("completes at once where the browser cannot watch 'microphone'", async () => {
    await expect(lastValueFrom(accessWith({}).permissionChanges().pipe(toArray()))).resolves.toEqual([]);
    TestBed.resetTestingModule();
    const query = jest.fn(async () => {
      throw new TypeError("'microphone' is not a valid PermissionName");
    });
    await expect(lastValueFrom(accessWith({ permissions: { query } as unknown as Permissions }).permissionChanges().pipe(toArray()))).resolves.toEqual([]);
  });
});
