import { ApplicationInitStatus } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideVoiceSdkPreload } from './preload-voice-sdk';
import type { VoiceSdkModule } from './sdk-types';
import { LOAD_VOICE_SDK } from './voice-device-options';

type IdleCallback = (deadline: IdleDeadline) => void;

async function startApp(load: jest.Mock<Promise<VoiceSdkModule>, []>): Promise<void> {
  TestBed.configureTestingModule({ providers: [provideVoiceSdkPreload(), { provide: LOAD_VOICE_SDK, useValue: load }] });
  await TestBed.inject(ApplicationInitStatus).donePromise;
}

describe('provideVoiceSdkPreload', () => {
  const original = window.requestIdleCallback;
  let idle: IdleCallback[];

  beforeEach(() => {
    idle = [];
    window.requestIdleCallback = ((callback: IdleCallback) => idle.push(callback)) as typeof window.requestIdleCallback;
  });
  afterEach(() => {
    window.requestIdleCallback = original;
  });

  it('loads the SDK chunk once the page is idle, not during start-up', async () => {
    const load = jest.fn(() => Promise.resolve({} as VoiceSdkModule));
    await startApp(load);
    expect(load).not.toHaveBeenCalled();
    expect(idle).toHaveLength(1);
    idle[0]({ didTimeout: false, timeRemaining: () => 10 });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('a failed preload is swallowed (register() loads again and reports its own failure)', async () => {
    const load = jest.fn(() => Promise.reject(new Error('chunk 404')));
    await startApp(load);
    idle[0]({ didTimeout: false, timeRemaining: () => 10 });
    await expect(load.mock.results[0].value).rejects.toThrow('chunk 404');
    expect(load).toHaveBeenCalledTimes(1);
  });
});
