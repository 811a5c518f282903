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

describe('BrowserMicrophoneAccess: asked at the Sign in click (prepare)', () => {
  const permissionsIn = (state: PermissionState | Error) => ({
    query: jest.fn(async () => {
      if (state instanceof Error) throw state;
      return { state } as PermissionStatus;
    }),
  });
  const granting = (stop = jest.fn()) => jest.fn(async () => ({ getTracks: () => [{ stop }] }) as unknown as MediaStream);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('already granted: asks at once, stops the track at once, and the next check takes that answer without asking again', async () => {
    const stop = jest.fn();
    const getUserMedia = granting(stop);
    const access = accessWith({ permissions: permissionsIn('granted') as unknown as Permissions }, getUserMedia);
    access.prepare();
    await settle();
    expect(getUserMedia).toHaveBeenCalledTimes(1);
    expect(stop).toHaveBeenCalledTimes(1);
    await expect(firstValueFrom(access.check())).resolves.toEqual({ permission: 'granted' });
    expect(getUserMedia).toHaveBeenCalledTimes(1);
    // One use: "Check again" asks the browser anew.
    await expect(firstValueFrom(access.check())).resolves.toEqual({ permission: 'granted' });
    expect(getUserMedia).toHaveBeenCalledTimes(2);
  });

  it('a check while the early question is still open waits for it instead of asking twice', async () => {
    let answer: (stream: MediaStream) => void = () => undefined;
    const getUserMedia = jest.fn(() => new Promise<MediaStream>((resolve) => (answer = resolve)));
    const access = accessWith({ permissions: permissionsIn('granted') as unknown as Permissions }, getUserMedia);
    access.prepare();
    const checked = firstValueFrom(access.check());
    await settle();
    answer({ getTracks: () => [] } as unknown as MediaStream);
    await expect(checked).resolves.toEqual({ permission: 'granted' });
    expect(getUserMedia).toHaveBeenCalledTimes(1);
  });

  it('an early refusal is the answer too (the blocked state follows sign-in as before)', async () => {
    const access = accessWith({ permissions: permissionsIn('granted') as unknown as Permissions }, refusing('NotFoundError'));
    access.prepare();
    await expect(firstValueFrom(access.check())).resolves.toMatchObject({ permission: 'denied', error: { name: 'MicrophoneUnavailable' } });
  });

  it.each([['prompt'], ['denied']] as const)("'%s': opens no prompt before sign-in; check asks as before", async (state) => {
    const getUserMedia = granting();
    const access = accessWith({ permissions: permissionsIn(state) as unknown as Permissions }, getUserMedia);
    access.prepare();
    await settle();
    expect(getUserMedia).not.toHaveBeenCalled();
    await expect(firstValueFrom(access.check())).resolves.toEqual({ permission: 'granted' });
    expect(getUserMedia).toHaveBeenCalledTimes(1);
  });

  it("asks nothing early where the browser cannot query 'microphone' or has no Permissions API", async () => {
    const getUserMedia = granting();
    accessWith({ permissions: permissionsIn(new TypeError('microphone')) as unknown as Permissions }, getUserMedia).prepare();
    TestBed.resetTestingModule();
    accessWith({}, getUserMedia).prepare();
    await settle();
    expect(getUserMedia).not.toHaveBeenCalled();
  });

  it('a failed sign-in drops the early answer: never asked if dropped first, and the next check asks anew', async () => {
    const getUserMedia = granting();
    const access = accessWith({ permissions: permissionsIn('granted') as unknown as Permissions }, getUserMedia);
    access.prepare();
    access.discardPrepared();
    await settle();
    expect(getUserMedia).not.toHaveBeenCalled();
    access.prepare();
    await settle();
    access.discardPrepared();
    expect(getUserMedia).toHaveBeenCalledTimes(1);
    await firstValueFrom(access.check());
    expect(getUserMedia).toHaveBeenCalledTimes(2);
  });
});
