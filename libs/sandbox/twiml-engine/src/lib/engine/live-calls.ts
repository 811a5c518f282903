/** Calls whose TwiML is running now, so the REST API can redirect or end them by SID. */
export interface LiveTwimlCall {
  readonly callSid: string;
  readonly accountSid: string;
  /** Stop the current verb and continue with the TwiML at `url` (REST `Url=`). */
  redirect(url: string, method: 'GET' | 'POST'): void;
  /** End the call now (REST `Status=completed`). */
  hangup(): void;
}

export class LiveCallRegistry {
  private readonly calls = new Map<string, LiveTwimlCall>();

  add(call: LiveTwimlCall): () => void {
    this.calls.set(call.callSid, call);
    return () => {
      if (this.calls.get(call.callSid) === call) this.calls.delete(call.callSid);
    };
  }

  get(callSid: string): LiveTwimlCall | undefined {
    return this.calls.get(callSid);
  }

  get size(): number {
    return this.calls.size;
  }
}
