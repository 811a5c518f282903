import {
  NO_DEVICE_PREFERENCES,
  type DevicePreferences,
  type DevicePreferencesStorage,
  type SavedAudioDevice,
} from '@switchboard/softphone-data-access-voice';
import { DEFAULT_EDGE_PREFERENCE, isEdgePreference, type EdgePreference } from '@switchboard/shared-voice-model';

const STORAGE_KEY = 'switchboard.audio-devices.v1';
// Its own key: the audio entry is rewritten whole on each device choice.
const EDGE_STORAGE_KEY = 'switchboard.edge.v1';

/** Reads defensively, like the devices: anything not a known edge means the server's default. */
export function parseEdgePreference(raw: string | null): EdgePreference {
  if (!raw) return DEFAULT_EDGE_PREFERENCE;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isEdgePreference(parsed) ? parsed : DEFAULT_EDGE_PREFERENCE;
  } catch {
    return DEFAULT_EDGE_PREFERENCE;
  }
}

function parseSaved(value: unknown): SavedAudioDevice | null {
  if (typeof value !== 'object' || value === null) return null;
  const { deviceId, label } = value as Record<string, unknown>;
  if (typeof deviceId !== 'string' || deviceId.length === 0 || deviceId.length > 512) return null;
  return { deviceId, label: typeof label === 'string' ? label.slice(0, 512) : '' };
}

/** Reads defensively: another version, a user or an extension may have written anything there. */
export function parseDevicePreferences(raw: string | null): DevicePreferences {
  if (!raw) return NO_DEVICE_PREFERENCES;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return NO_DEVICE_PREFERENCES;
    const record = parsed as Record<string, unknown>;
    return { input: parseSaved(record['input']), output: parseSaved(record['output']), ringtone: parseSaved(record['ringtone']) };
  } catch {
    return NO_DEVICE_PREFERENCES;
  }
}

/** localStorage, tolerant of private mode and quota errors (a lost preference is not worth a crash). */
export class LocalStorageDevicePreferences implements DevicePreferencesStorage {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeLocalStorage()) {}

  load(): DevicePreferences {
    try {
      return parseDevicePreferences(this.storage?.getItem(STORAGE_KEY) ?? null);
    } catch {
      return NO_DEVICE_PREFERENCES;
    }
  }

  save(preferences: DevicePreferences): void {
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(preferences));
    } catch {
      // Quota or privacy mode: the choice still applies for this session.
    }
  }

  loadEdgePreference(): EdgePreference {
    try {
      return parseEdgePreference(this.storage?.getItem(EDGE_STORAGE_KEY) ?? null);
    } catch {
      return DEFAULT_EDGE_PREFERENCE;
    }
  }

  saveEdgePreference(preference: EdgePreference): void {
    try {
      this.storage?.setItem(EDGE_STORAGE_KEY, JSON.stringify(preference));
    } catch {
      // As above: applies for this session only.
    }
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
