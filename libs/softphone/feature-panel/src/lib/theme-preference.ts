import { DOCUMENT } from '@angular/common';
import { Injectable, effect, inject, signal } from '@angular/core';
import type { ThemePreference } from '@switchboard/softphone-ui';

const STORAGE_KEY = 'sb.theme';
const CLASSES: Readonly<Record<ThemePreference, string | null>> = { system: null, light: 'sb-theme-light', dark: 'sb-theme-dark' };

function isThemePreference(value: unknown): value is ThemePreference {
  return value === 'system' || value === 'light' || value === 'dark';
}

/**
 * Light, dark, or whatever the system prefers (the default). Stored per browser; applied as a class
 * on <html>, which sets `color-scheme` and so every Material token.
 */
@Injectable({ providedIn: 'root' })
export class ThemePreferenceStore {
  private readonly document = inject(DOCUMENT);
  readonly preference = signal<ThemePreference>(this.read());

  constructor() {
    effect(() => {
      const root = this.document.documentElement;
      for (const name of Object.values(CLASSES)) if (name) root.classList.remove(name);
      const wanted = CLASSES[this.preference()];
      if (wanted) root.classList.add(wanted);
    });
  }

  set(preference: ThemePreference): void {
    this.preference.set(preference);
    try {
      this.document.defaultView?.localStorage.setItem(STORAGE_KEY, preference);
    } catch {
      // Storage can be blocked (private mode, policy); the choice then lasts for this page only.
    }
  }

  private read(): ThemePreference {
    try {
      const stored = this.document.defaultView?.localStorage.getItem(STORAGE_KEY);
      return isThemePreference(stored) ? stored : 'system';
    } catch {
      return 'system';
    }
  }
}
