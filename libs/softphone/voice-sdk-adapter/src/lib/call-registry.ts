import type { CallId } from '@switchboard/shared-voice-model';
import type { Subscription } from 'rxjs';
import type { SdkCall } from './sdk-types';

/** How many ended calls are kept for postFeedback: the rating is asked about the call that just ended. */
const ENDED_CALLS_KEPT = 5;

interface Entry {
  call: SdkCall | null;
  subscription: Subscription | null;
}

/**
 * The adapter's call ids → live SDK Call objects. Call objects never leave the adapter: the
 * store only sees ids. An outgoing id is reserved before `device.connect()` resolves, because
 * the call has no CallSid yet (call.js `outboundConnectionId`).
 */
export class CallRegistry {
  private readonly entries = new Map<CallId, Entry>();
  /** Recently ended calls, oldest first, for `postFeedback` after hang-up (the rating comes after the call). */
  private readonly ended = new Map<CallId, SdkCall>();
  private counter = 0;

  reserve(): CallId {
    this.counter += 1;
    const id = `call-${this.counter}`;
    this.entries.set(id, { call: null, subscription: null });
    return id;
  }

  attach(callId: CallId, call: SdkCall, subscription: Subscription): void {
    this.entries.set(callId, { call, subscription });
  }

  get(callId: CallId): SdkCall | null {
    return this.entries.get(callId)?.call ?? null;
  }

  idOf(call: SdkCall): CallId | null {
    for (const [id, entry] of this.entries) if (entry.call === call) return id;
    return null;
  }

  has(callId: CallId): boolean {
    return this.entries.has(callId);
  }

  /** The call is over: release it, but keep the Call object a while for postFeedback. */
  end(callId: CallId): void {
    const call = this.get(callId);
    this.release(callId);
    if (!call) return;
    this.ended.set(callId, call);
    for (const id of this.ended.keys()) if (this.ended.size > ENDED_CALLS_KEPT) this.ended.delete(id);
  }

  /** A live call, or one that ended recently. */
  getRecent(callId: CallId): SdkCall | null {
    return this.get(callId) ?? this.ended.get(callId) ?? null;
  }

  /** Detach the call's listeners and forget it. */
  release(callId: CallId): void {
    const entry = this.entries.get(callId);
    this.entries.delete(callId);
    entry?.subscription?.unsubscribe();
  }

  releaseAll(): void {
    for (const id of [...this.entries.keys()]) this.release(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
