/** Deletes a recording from the telephony provider (Twilio's REST API, or the sandbox's). */
export abstract class RecordingRemover {
  /**
   * `deleted`, or `already-gone` when the provider has no such recording (404): either way it is gone,
   * so two API instances purging the same voicemail both succeed. Throws TelephonyError otherwise.
   */
  abstract remove(recordingSid: string): Promise<'deleted' | 'already-gone'>;
}
