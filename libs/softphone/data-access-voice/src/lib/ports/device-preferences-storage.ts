import { InjectionToken } from '@angular/core';
import type { EdgePreference } from '@switchboard/shared-voice-model';

export interface SavedAudioDevice {
  readonly deviceId: string;
  readonly label: string;
}

export interface DevicePreferences {
  readonly input: SavedAudioDevice | null;
  readonly output: SavedAudioDevice | null;
  /** Where the ringtone plays (`audio.ringtoneDevices`); absent in choices saved before it existed. */
  readonly ringtone?: SavedAudioDevice | null;
}

export const NO_DEVICE_PREFERENCES: DevicePreferences = { input: null, output: null, ringtone: null };

/** Where the agent's microphone, speaker, ringtone and edge choices survive a reload. */
export interface DevicePreferencesStorage {
  load(): DevicePreferences;
  save(preferences: DevicePreferences): void;
  /** The saved edge choice; `configured` (the server's order) when none or unreadable. */
  loadEdgePreference(): EdgePreference;
  saveEdgePreference(preference: EdgePreference): void;
}

/** Provided by `provideBrowserAdapters()` (softphone-browser-adapters: localStorage) or a test's fake. */
export const DEVICE_PREFERENCES_STORAGE = new InjectionToken<DevicePreferencesStorage>('DEVICE_PREFERENCES_STORAGE');
