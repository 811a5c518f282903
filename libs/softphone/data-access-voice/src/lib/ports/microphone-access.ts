import { InjectionToken } from '@angular/core';
import type { VoiceErrorInfo } from '@switchboard/shared-voice-model';
import type { Observable } from 'rxjs';

/** Result of asking for the microphone. Data, never an error, so effects cannot die on it. */
export type MicrophoneCheckResult =
  | { readonly permission: 'granted' }
  | { readonly permission: 'denied'; readonly error: VoiceErrorInfo };

/** What `navigator.permissions.query({name:'microphone'})` reports. */
export type BrowserMicrophonePermission = 'granted' | 'denied' | 'prompt';

/**
 * The browser's microphone permission, asked before the voice Device exists (sign-in waits for
 * the answer) and watched while signed in. Not part of VoicePort: it needs no SDK.
 */
export interface MicrophoneAccess {
  /** getUserMedia({audio:true}) (through a VDI override when one is configured), then stop every track at once. */
  check(): Observable<MicrophoneCheckResult>;
  /** Permission changes seen by the browser; completes at once where the Permissions API lacks 'microphone'. */
  permissionChanges(): Observable<BrowserMicrophonePermission>;
  /** Optional: Sign in was pressed; may start the question now (no prompt) so the next check() takes that answer. */
  prepare?(): void;
  /** Optional: that sign-in failed; drop an early answer unused. */
  discardPrepared?(): void;
}

/** Provided by `provideBrowserAdapters()` (softphone-browser-adapters) or a test's fake. */
export const MICROPHONE_ACCESS = new InjectionToken<MicrophoneAccess>('MICROPHONE_ACCESS');
