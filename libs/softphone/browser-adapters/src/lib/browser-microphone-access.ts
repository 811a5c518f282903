import { DOCUMENT } from '@angular/common';
import { inject, Injectable, InjectionToken } from '@angular/core';
import type { BrowserMicrophonePermission, MicrophoneAccess, MicrophoneCheckResult } from '@switchboard/softphone-data-access-voice';
import { describeAppError } from '@switchboard/shared-voice-model';
import { defer, Observable } from 'rxjs';
import { markTiming } from './timing-marks';

export type GetUserMedia = (constraints: MediaStreamConstraints) => Promise<MediaStream>;

/**
 * A getUserMedia to ask with instead of the browser's: a virtual desktop's redirection SDK
 * (Citrix HDX, VMware Horizon, AVD). Give it the same function as `provideTwilioVoice({ webRtc })`.
 */
export const MICROPHONE_GET_USER_MEDIA = new InjectionToken<GetUserMedia | null>('MICROPHONE_GET_USER_MEDIA', {
  providedIn: 'root',
  factory: () => null,
});

/** A question started at the Sign in click; null answer: not asked early (not granted yet, or dropped). */
interface EarlyQuestion {
  dropped: boolean;
  answer: Promise<MicrophoneCheckResult | null>;
}

const DENIED_ERROR_NAMES = new Set(['NotAllowedError', 'SecurityError', 'PermissionDeniedError']);

/** The browser's microphone: getUserMedia for the question, the Permissions API for later changes. */
@Injectable({ providedIn: 'root' })
export class BrowserMicrophoneAccess implements MicrophoneAccess {
  private readonly navigator: Navigator | undefined = inject(DOCUMENT).defaultView?.navigator;
  private readonly getUserMediaOverride = inject(MICROPHONE_GET_USER_MEDIA);

  /**
   * The answer asked at the Sign in click (see prepare), not yet taken by check(). One use: "Check again"
   * and any later sign-in ask anew.
   */
  private early: EarlyQuestion | null = null;

  check(): Observable<MicrophoneCheckResult> {
    return defer(async (): Promise<MicrophoneCheckResult> => {
      const early = this.early;
      this.early = null;
      return (early && (await early.answer)) ?? this.ask();
    });
  }

  /**
   * Sign in was pressed: ask now, beside the sign-in request, but only when the browser already grants the
   * microphone, so no prompt opens. A 'prompt' state waits for the sign-in to succeed: a dialog over a wrong
   * password (or a stranger's attempt on a shared kiosk) would ask for a phone that is not theirs yet.
   * Where the Permissions API lacks 'microphone' (Firefox, older Safari), nothing is asked early.
   */
  prepare(): void {
    this.discardPrepared();
    const permissions = this.navigator?.permissions;
    if (!permissions?.query || !this.getUserMedia()) return;
    const early: EarlyQuestion = { dropped: false, answer: Promise.resolve(null) };
    early.answer = permissions
      .query({ name: 'microphone' as PermissionName })
      // Dropped before the query answered (a fast refusal): no capture light for a sign-in that failed.
      .then((status) => (status.state === 'granted' && !early.dropped ? this.ask() : null))
      .catch(() => null);
    this.early = early;
  }

  /** The sign-in failed: an early answer is dropped unused (its tracks are stopped as soon as it arrives). */
  discardPrepared(): void {
    if (this.early) this.early.dropped = true;
    this.early = null;
  }

  private async ask(): Promise<MicrophoneCheckResult> {
    const getUserMedia = this.getUserMedia();
    if (!getUserMedia) return { permission: 'denied', error: describeAppError('BrowserUnsupported') };
    markTiming('sb:microphone-start');
    try {
      const stream = await getUserMedia({ audio: true });
      // Only the answer matters; an open track would keep the microphone light on.
      for (const track of stream.getTracks()) track.stop();
      return { permission: 'granted' };
    } catch (error: unknown) {
      const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
      const denied = typeof name === 'string' && DENIED_ERROR_NAMES.has(name);
      return { permission: 'denied', error: describeAppError(denied ? 'MicrophoneDenied' : 'MicrophoneUnavailable') };
    } finally {
      markTiming('sb:microphone-end');
    }
  }

  permissionChanges(): Observable<BrowserMicrophonePermission> {
    return new Observable<BrowserMicrophonePermission>((subscriber) => {
      const permissions = this.navigator?.permissions;
      if (!permissions?.query) {
        subscriber.complete();
        return undefined;
      }
      let status: PermissionStatus | null = null;
      let closed = false;
      const onChange = () => status && subscriber.next(status.state as BrowserMicrophonePermission);
      permissions
        .query({ name: 'microphone' as PermissionName })
        .then((s) => {
          if (closed) return;
          status = s;
          s.addEventListener('change', onChange);
        })
        // Firefox and older Safari do not know 'microphone': nothing to watch.
        .catch(() => subscriber.complete());
      return () => {
        closed = true;
        status?.removeEventListener('change', onChange);
      };
    });
  }

  private getUserMedia(): GetUserMedia | null {
    if (this.getUserMediaOverride) return this.getUserMediaOverride;
    const mediaDevices = this.navigator?.mediaDevices;
    return mediaDevices?.getUserMedia ? (constraints) => mediaDevices.getUserMedia(constraints) : null;
  }
}
