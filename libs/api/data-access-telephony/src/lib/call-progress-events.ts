import { Injectable, Logger } from '@nestjs/common';

/**
 * What the provider's callbacks just told the API, once each: a call status callback or a conference
 * event was stored for the first time (duplicates are not announced). In-process only: each instance
 * announces the callbacks it processed itself.
 */
export type CallProgressNotice =
  | { readonly kind: 'call-status'; readonly callSid: string; readonly callStatus: string }
  | {
      readonly kind: 'conference';
      readonly conferenceSid: string;
      /** The conference's FriendlyName as the callback carried it ('' when absent). */
      readonly friendlyName: string;
      /** Twilio's StatusCallbackEvent, e.g. `participant-join`. */
      readonly event: string;
      readonly callSid: string | null;
      /** The participant's label (`customer`, `client:<identity>`), null when none was sent. */
      readonly label: string | null;
    };

export type CallProgressListener = (notice: CallProgressNotice) => void;

/**
 * The callback processors (feature-call-events, feature-conferences) publish here after storing a new
 * callback; features that drive a call (ringing agents into a conference) listen, without the feature
 * libraries depending on each other. A listener's failure is logged, never thrown back to the callback.
 */
@Injectable()
export class CallProgressEvents {
  private readonly logger = new Logger('CallProgressEvents');
  private readonly listeners = new Set<CallProgressListener>();

  /** Returns the function that stops listening. */
  listen(listener: CallProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(notice: CallProgressNotice): void {
    for (const listener of this.listeners) {
      try {
        listener(notice);
      } catch (error) {
        this.logger.error(`A call progress listener failed on ${notice.kind}: ${(error as Error).message}`);
      }
    }
  }
}
