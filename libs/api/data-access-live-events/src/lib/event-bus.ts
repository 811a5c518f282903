import { isLiveEventEnvelope, type LiveEvent } from '@switchboard/shared-contracts';

/**
 * Who an event is for. Resolved by each subscribing instance against the streams it holds, so the
 * publisher never needs to know where an agent is connected.
 */
export interface LiveAudience {
  /** Agent identities (from their sessions). */
  readonly agents?: readonly string[];
  /** Every signed-in supervisor. */
  readonly supervisors?: boolean;
}

/** What travels on the bus: plain JSON, so a Redis implementation can carry it between instances. */
export interface BusMessage {
  readonly event: LiveEvent;
  readonly audience: LiveAudience;
}

export type BusListener = (message: BusMessage) => void;

/**
 * The port between publishers (any API instance) and the streams (every instance). The embedded
 * default is {@link InProcessEventBus}; with several instances (issue 13) a Redis pub/sub bus takes its
 * place under {@link EVENT_BUS}: publish serialises the message to a channel, subscribe parses what
 * arrives, and every instance's hub picks the recipients among its own streams.
 */
export interface EventBus {
  /** Resolves once the message is handed to the transport (not when streams have written it). */
  publish(message: BusMessage): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(listener: BusListener): () => void;
  /**
   * Told when this instance may have missed messages (a network bus's subscription was lost and is back):
   * a hub then forgets what it would replay and tells its streams to resync. Absent: it never misses any.
   */
  onGap?(listener: () => void): () => void;
  /** Whether published events reach every instance now (the readiness check); absent: always. */
  readiness?(): BusReadiness;
  /** Releases connections; the module calls it once at shutdown. */
  close?(): Promise<void>;
}

export interface BusReadiness {
  readonly ready: boolean;
  /** Which bus, and when not ready, why (no secrets): for /health/ready and the logs. */
  readonly detail: string;
}

export const EVENT_BUS = Symbol('EVENT_BUS');

/** Whether a stream of `identity` with `role` is in the audience. */
export function isInAudience(audience: LiveAudience, identity: string, role: string): boolean {
  return (audience.supervisors === true && role === 'supervisor') || (audience.agents?.includes(identity) ?? false);
}

/**
 * One process: listeners are called on a later microtask with a JSON copy of the message, as a
 * network bus would, so no publisher comes to rely on shared objects or synchronous delivery.
 */
export class InProcessEventBus implements EventBus {
  private readonly listeners = new Set<BusListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  get listenerCount(): number {
    return this.listeners.size;
  }

  async publish(message: BusMessage): Promise<void> {
    const wire = JSON.stringify(message);
    await Promise.resolve();
    for (const listener of [...this.listeners]) {
      try {
        listener(JSON.parse(wire) as BusMessage);
      } catch (error) {
        // One failing subscriber must not keep the event from the others.
        this.onListenerError(error);
      }
    }
  }

  subscribe(listener: BusListener): () => void {
    // Wrapped, so subscribing the same function twice gives two independent subscriptions.
    const own: BusListener = (message) => listener(message);
    this.listeners.add(own);
    return () => {
      this.listeners.delete(own);
    };
  }
}

/** Whether a value from the wire (JSON.parse of another instance's message) has a bus message's shape. */
export function isBusMessage(value: unknown): value is BusMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { event, audience } = value as Partial<BusMessage>;
  if (!isLiveEventEnvelope(event) || typeof audience !== 'object' || audience === null) return false;
  const agentsOk = audience.agents === undefined || (Array.isArray(audience.agents) && audience.agents.every((a) => typeof a === 'string'));
  return agentsOk && (audience.supervisors === undefined || typeof audience.supervisors === 'boolean');
}
