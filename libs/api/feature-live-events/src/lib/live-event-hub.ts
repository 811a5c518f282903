import type { SessionAgent } from '@switchboard/api-http-boundary';
import type { LiveEvent, SessionEventType } from '@switchboard/shared-contracts';
import { isBusMessage, isInAudience, type BusMessage, type EventBus } from '@switchboard/api-data-access-live-events';
import { ReplayBuffer } from './replay-buffer';
import { eventFrame, PING_FRAME, retryFrame } from './sse-frames';

export interface LiveEventHubOptions {
  /** This API instance, named in `session.hello` and in the ids it makes. */
  readonly instanceId: string;
  readonly heartbeatMs: number;
  /** Streams one agent may hold on this instance (tabs, windows); one more is refused. */
  readonly maxStreamsPerAgent: number;
  /** Published events kept for `Last-Event-ID` resume. */
  readonly replayCapacity: number;
  /** The `retry:` hint: how long the browser waits before reconnecting by itself. */
  readonly retryMs: number;
  /** A stream whose unsent output grows past this (a client that stopped reading) is closed; it resumes on reconnect. */
  readonly maxBufferedBytes: number;
  readonly now?: () => Date;
  /** Told about bus messages that are dropped (malformed, e.g. from another instance's bug). */
  readonly warn?: (message: string) => void;
}

export const LIVE_EVENT_DEFAULTS = { maxStreamsPerAgent: 5, replayCapacity: 1000, retryMs: 3000, maxBufferedBytes: 256 * 1024 } as const;

/** Where a stream's frames go: the HTTP response in the API, a recorder in unit tests. */
export interface StreamSink {
  /** False when the frame had to be buffered (the client is not reading fast enough). */
  write(frame: string): boolean;
  /** Ends the response; the hub calls it once, then forgets the stream. */
  end(): void;
  /** Bytes written but not yet sent. */
  readonly bufferedBytes: number;
}

/** One open stream; the handle the owner passes back to {@link LiveEventHub.close}. */
export interface LiveStream {
  readonly agent: SessionAgent;
}

/**
 * Whether the session the stream was opened with is still valid (signed out, expired, agent
 * disabled: false). Asked at each heartbeat; a failure to answer (database down) keeps the stream.
 */
export type SessionCheck = () => Promise<boolean>;

export type Admission = 'ok' | 'too-many-streams' | 'shutting-down';

type StreamsChanged = (identity: string, openStreams: number) => void;

interface OpenStream extends LiveStream {
  readonly sink: StreamSink;
  readonly sessionCheck: SessionCheck | null;
  checking: boolean;
}

/**
 * This instance's open event streams: sends each its `session.hello`, what it missed, the bus's events
 * for its agent, and a ping every heartbeat; ends them all on shutdown. One heartbeat timer and one bus
 * subscription serve every stream, and both exist only while needed.
 */
export class LiveEventHub {
  private readonly streams = new Set<OpenStream>();
  private readonly streamsPerAgent = new Map<string, number>();
  private readonly changeListeners = new Set<StreamsChanged>();
  private buffer: ReplayBuffer;
  /** How many times the buffer was started afresh after the bus lost messages (in its start id). */
  private gaps = 0;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private unsubscribeBus: (() => void) | null = null;
  private unsubscribeGaps: (() => void) | null = null;
  private shuttingDown = false;
  private sessionEventCount = 0;

  constructor(private readonly bus: EventBus, private readonly options: LiveEventHubOptions) {
    this.buffer = new ReplayBuffer(options.replayCapacity, `${options.instanceId}-start`);
  }

  /** Subscribes to the bus (Nest calls it at start-up), so the replay buffer fills before anyone connects. */
  onModuleInit(): void {
    if (this.unsubscribeBus || this.shuttingDown) return;
    this.unsubscribeBus = this.bus.subscribe((message) => this.deliver(message));
    this.unsubscribeGaps = this.bus.onGap?.(() => this.afterGap()) ?? null;
  }

  /** Ends every stream before the HTTP server closes, which would otherwise wait for them forever. */
  onModuleDestroy(): void {
    this.shutdown();
  }

  shutdown(): void {
    this.shuttingDown = true;
    this.unsubscribeBus?.();
    this.unsubscribeBus = null;
    this.unsubscribeGaps?.();
    this.unsubscribeGaps = null;
    for (const stream of [...this.streams]) this.close(stream);
  }

  /** Whether {@link open} would accept a stream for this agent now. */
  admission(identity: string): Admission {
    if (this.shuttingDown) return 'shutting-down';
    return (this.streamsPerAgent.get(identity) ?? 0) >= this.options.maxStreamsPerAgent ? 'too-many-streams' : 'ok';
  }

  /**
   * Registers the stream and writes its first frames: the retry hint, `session.hello`, then either the
   * events after `lastEventId` or `session.resync` when they cannot be replayed. Synchronous, so no
   * bus event can fall between the replay and the live events.
   */
  open(agent: SessionAgent, lastEventId: string | null, sink: StreamSink, sessionCheck: SessionCheck | null = null): LiveStream {
    const admission = this.admission(agent.identity);
    if (admission !== 'ok') throw new Error(`Live event stream refused: ${admission}`);
    const stream: OpenStream = { agent, sink, sessionCheck, checking: false };
    this.streams.add(stream);
    this.countStream(agent.identity, +1);
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.ping(), this.options.heartbeatMs);
      this.heartbeat.unref?.();
    }

    const missed = lastEventId === null ? [] : this.buffer.since(lastEventId);
    const resumed = lastEventId !== null && missed !== null;
    const hello = this.sessionEvent('session.hello', {
      identity: agent.identity, displayName: agent.displayName, role: agent.role, instanceId: this.options.instanceId, resumed,
    });
    // On a resume the hello carries no SSE id: the browser's position advances with each replayed event
    // instead, so a drop in the middle of the replay resumes where it stopped.
    let frames = retryFrame(this.options.retryMs) + eventFrame(hello, resumed ? null : this.buffer.head());
    if (missed === null) {
      frames += eventFrame(this.sessionEvent('session.resync', { reason: 'unknown-last-event-id' }), this.buffer.head());
    } else {
      for (const message of missed) {
        if (isInAudience(message.audience, agent.identity, agent.role)) frames += eventFrame(message.event, message.event.id);
      }
    }
    this.send(stream, frames);
    return stream;
  }

  /** Forgets the stream and ends its response; safe to call more than once. */
  close(handle: LiveStream): void {
    const stream = handle as OpenStream;
    if (!this.streams.delete(stream)) return;
    if (this.streams.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
    try {
      stream.sink.end();
    } finally {
      this.countStream(stream.agent.identity, -1);
    }
  }

  /** Open streams of one agent on this instance, or of everyone. */
  openStreams(identity?: string): number {
    return identity === undefined ? this.streams.size : (this.streamsPerAgent.get(identity) ?? 0);
  }

  /** Told whenever an agent's number of open streams changes (presence, issue 13; tests await it). */
  onStreamsChanged(listener: StreamsChanged): () => void {
    this.changeListeners.add(listener);
    return () => {
      this.changeListeners.delete(listener);
    };
  }

  private deliver(message: BusMessage): void {
    if (!isBusMessage(message)) {
      this.options.warn?.('Dropped a malformed live event from the bus');
      return;
    }
    if ((message.event.type as string).startsWith('session.')) {
      this.options.warn?.(`Dropped a ${message.event.type} event from the bus: session events belong to one stream`);
      return;
    }
    this.buffer.push(message);
    let frame: string | null = null;
    for (const stream of [...this.streams]) {
      if (!isInAudience(message.audience, stream.agent.identity, stream.agent.role)) continue;
      frame ??= eventFrame(message.event, message.event.id);
      this.send(stream, frame);
    }
  }

  /**
   * The bus may have lost events (Redis was unreachable): what the buffer holds has a hole, so it starts
   * afresh (a resume from an id before now gets `session.resync`), and every open stream, which missed
   * them too, is told to resync now, with an id it can resume from later.
   */
  private afterGap(): void {
    if (this.shuttingDown || (this.streams.size === 0 && this.buffer.size === 0)) return;
    this.gaps += 1;
    this.buffer = new ReplayBuffer(this.options.replayCapacity, `${this.options.instanceId}-start-${this.gaps.toString(36)}`);
    this.options.warn?.(`The live-event bus may have lost events; ${this.streams.size} open stream(s) told to resync`);
    for (const stream of [...this.streams]) {
      this.send(stream, eventFrame(this.sessionEvent('session.resync', { reason: 'unknown-last-event-id' }), this.buffer.head()));
    }
  }

  private ping(): void {
    for (const stream of [...this.streams]) {
      this.send(stream, PING_FRAME);
      this.checkSession(stream);
    }
  }

  /** A session ended since the stream opened (signed out in another tab, expired) ends the stream too. */
  private checkSession(stream: OpenStream): void {
    if (!stream.sessionCheck || stream.checking) return;
    stream.checking = true;
    stream.sessionCheck().then(
      (valid) => {
        stream.checking = false;
        if (!valid) this.close(stream);
      },
      () => {
        stream.checking = false;
      },
    );
  }

  private send(stream: OpenStream, frame: string): void {
    if (!this.streams.has(stream)) return;
    let written: boolean;
    try {
      written = stream.sink.write(frame);
    } catch {
      // The socket is gone; its close event may not have reached us yet.
      this.close(stream);
      return;
    }
    if (!written && stream.sink.bufferedBytes > this.options.maxBufferedBytes) this.close(stream);
  }

  private sessionEvent<T extends SessionEventType>(type: T, data: LiveEvent<T>['data']): LiveEvent<T> {
    this.sessionEventCount += 1;
    const id = `${this.options.instanceId}-${type.slice('session.'.length)}-${this.sessionEventCount.toString(36)}`;
    return { id, type, at: (this.options.now?.() ?? new Date()).toISOString(), data } as LiveEvent<T>;
  }

  private countStream(identity: string, change: 1 | -1): void {
    const count = (this.streamsPerAgent.get(identity) ?? 0) + change;
    if (count > 0) this.streamsPerAgent.set(identity, count);
    else this.streamsPerAgent.delete(identity);
    for (const listener of [...this.changeListeners]) listener(identity, count);
  }
}
