import { DOCUMENT } from '@angular/common';
import { DestroyRef, inject, signal, type Signal } from '@angular/core';

/** The theme colours a chart draws with, as canvas-ready `rgb(…)` strings. */
export interface ChartPalette {
  readonly text: string;
  readonly grid: string;
  readonly primary: string;
  readonly secondary: string;
  readonly tertiary: string;
  readonly error: string;
  /** The band colours: good, fair, poor. */
  readonly good: string;
  readonly fair: string;
  readonly poor: string;
  /** A translucent fill for the warnings' shaded ranges. */
  readonly warningFill: string;
}

/** Material system tokens each palette entry follows (so a chart changes with the light/dark scheme). */
const TOKENS: Readonly<Record<keyof ChartPalette, string>> = {
  text: '--mat-sys-on-surface',
  grid: '--mat-sys-outline-variant',
  primary: '--mat-sys-primary',
  secondary: '--mat-sys-secondary',
  tertiary: '--mat-sys-tertiary',
  error: '--mat-sys-error',
  good: '--mat-sys-primary',
  fair: '--mat-sys-tertiary',
  poor: '--mat-sys-error',
  warningFill: '--mat-sys-error-container',
};

/** Colours for a browser without the tokens (unit tests, or before the theme's CSS applies). */
export const FALLBACK_PALETTE: ChartPalette = {
  text: 'rgb(26, 28, 30)', grid: 'rgb(195, 199, 207)', primary: 'rgb(0, 95, 175)', secondary: 'rgb(83, 95, 112)',
  tertiary: 'rgb(150, 73, 0)', error: 'rgb(186, 26, 26)', good: 'rgb(0, 95, 175)', fair: 'rgb(150, 73, 0)', poor: 'rgb(186, 26, 26)',
  warningFill: 'rgba(255, 218, 214, 0.5)',
};

/**
 * Reads the theme's colours. A custom property holds `light-dark(…)` unresolved, so each token is put on
 * a probe element's `color`, which the browser resolves to `rgb(…)` for the current colour scheme.
 */
export function readChartPalette(document: Document): ChartPalette {
  const view = document.defaultView;
  if (!view || !document.body) return FALLBACK_PALETTE;
  const probe = document.createElement('span');
  probe.style.display = 'none';
  document.body.appendChild(probe);
  try {
    const entries = Object.entries(TOKENS).map(([key, token]) => {
      probe.style.color = '';
      probe.style.color = `var(${token})`;
      const resolved = view.getComputedStyle(probe).color;
      const fallback = FALLBACK_PALETTE[key as keyof ChartPalette];
      return [key, resolved && resolved !== 'rgba(0, 0, 0, 0)' && probe.style.color ? resolved : fallback];
    });
    const palette = Object.fromEntries(entries) as Record<keyof ChartPalette, string>;
    // The shaded warning ranges must not hide the lines drawn over them.
    return { ...palette, warningFill: withAlpha(palette.warningFill, 0.45) };
  } finally {
    probe.remove();
  }
}

/** `rgb(1, 2, 3)` → `rgba(1, 2, 3, alpha)`; anything else is returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const match = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color);
  return match ? `rgba(${match[1]}, ${match[2]}, ${match[3]}, ${alpha})` : color;
}

/**
 * The palette as a signal that follows the theme: the toggle's class on <html> and the system's
 * light/dark preference. Call in an injection context; the watchers stop with it.
 */
export function injectChartPalette(): Signal<ChartPalette> {
  const document = inject(DOCUMENT);
  const palette = signal(readChartPalette(document));
  const refresh = () => palette.set(readChartPalette(document));
  const view = document.defaultView;
  const observer = typeof MutationObserver === 'undefined' ? null : new MutationObserver(refresh);
  observer?.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
  const scheme = view?.matchMedia?.('(prefers-color-scheme: dark)');
  scheme?.addEventListener?.('change', refresh);
  inject(DestroyRef).onDestroy(() => {
    observer?.disconnect();
    scheme?.removeEventListener?.('change', refresh);
  });
  return palette.asReadonly();
}
