import { DOCUMENT } from '@angular/common';
import { InjectionToken, Pipe, inject, type PipeTransform } from '@angular/core';
import type { CountryCode } from '@switchboard/shared-util-phone';

/**
 * The BCP 47 locale dates, times and figures are written in: the browser's language, never a
 * hard-coded en-US. Intl formats it directly, so no Angular locale data has to be bundled.
 */
export const DISPLAY_LOCALE = new InjectionToken<string>('DISPLAY_LOCALE', {
  providedIn: 'root',
  factory: () => inject(DOCUMENT).defaultView?.navigator.language || new Intl.DateTimeFormat().resolvedOptions().locale,
});

/** The country a locale implies (`en-GB` → `GB`, `de` → `DE`), to read national phone numbers in. */
export function regionOf(locale: string): CountryCode | undefined {
  try {
    return (new Intl.Locale(locale).maximize().region as CountryCode | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The country national numbers are read and shown in, from {@link DISPLAY_LOCALE}. */
export function injectHomeCountry(): CountryCode | undefined {
  return regionOf(inject(DISPLAY_LOCALE));
}

/** A number with exactly `fractionDigits` decimals in the display locale (`3.46` → `3,5` in de-DE). */
export function formatFigure(value: number, fractionDigits: number, locale: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value);
}

/** `{{ iso | localDateTime }}`: short date and time in the display locale, e.g. `24.11.26, 09:00` in de-DE. */
@Pipe({ name: 'localDateTime' })
export class LocalDateTimePipe implements PipeTransform {
  private readonly format = new Intl.DateTimeFormat(inject(DISPLAY_LOCALE), { dateStyle: 'short', timeStyle: 'short' });

  transform(value: string | number | Date | null | undefined): string {
    if (value === null || value === undefined) return '';
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? '' : this.format.format(date);
  }
}
