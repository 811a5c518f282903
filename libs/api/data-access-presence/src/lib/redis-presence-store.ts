import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { redactRedisUrl } from '@switchboard/api-data-access-config';
import type { AgentReachability } from '@switchboard/shared-contracts';
import type { AgentPresence, TabReport } from './reachability';
import { VersionedPresenceStore, type VersionedPresence } from './versioned-presence-store';

export interface RedisPresenceStoreOptions {
  /** REDIS_URL (may hold a password: only its redacted form is logged). */
  readonly url: string;
  /** REDIS_KEY_PREFIX: keys are `<prefix>presence:agent:<identity>` and `<prefix>presence:deadlines`. */
  readonly keyPrefix: string;
  readonly timeoutMs: number;
}

/**
 * How long an agent's presence outlives its last write. Far longer than any report matters: it only keeps
 * Redis from holding agents who left for good (a later report starts them again from `signed-out`).
 */
export const PRESENCE_KEY_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The compare-and-set write: the agent's hash is written only if its version is still the one read, and
 * the deadline moves with it, in one step. 1 written, 0 someone wrote first.
 * KEYS: agent hash, deadlines. ARGV: expected version ('' none), identity, tabs JSON, announced JSON,
 * deadline ms ('' none), TTL ms.
 */
const SAVE_SCRIPT = `
local version = redis.call('HGET', KEYS[1], 'version') or ''
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', tostring((tonumber(version) or 0) + 1), 'tabs', ARGV[3], 'announced', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
if ARGV[5] == '' then redis.call('ZREM', KEYS[2], ARGV[2]) else redis.call('ZADD', KEYS[2], ARGV[5], ARGV[2]) end
return 1`;

/**
 * Presence shared by API instances in Redis (REDIS_URL set). Per agent one hash (version, the tabs' latest
 * reports with their times, the reachability last announced) and one sorted set of deadlines: when each
 * agent's freshest live report goes stale. A report's staleness is decided by the time it carries against
 * PRESENCE_TIMEOUT_SECONDS; the sweep's ZREM picks which instance looks at an expired agent first, and the
 * versioned write makes the change answered once.
 *
 * One connection, like the live-event bus's publisher: a command waits through at most two reconnect
 * attempts, then rejects (the report is answered 500, the tab reports again 5 s later).
 */
export class RedisPresenceStore extends VersionedPresenceStore {
  private readonly logger = new Logger('Presence');
  private readonly redis: Redis;
  private readonly deadlinesKey: string;
  private readonly where: string;
  private closing = false;

  constructor(private readonly options: RedisPresenceStoreOptions) {
    super(options.timeoutMs);
    this.where = redactRedisUrl(options.url);
    this.deadlinesKey = `${options.keyPrefix}presence:deadlines`;
    this.redis = new Redis(options.url, {
      enableReadyCheck: true, connectTimeout: 5000, maxRetriesPerRequest: 2, connectionName: `${options.keyPrefix}presence`,
    });
    this.redis.defineCommand('savePresence', { numberOfKeys: 2, lua: SAVE_SCRIPT });
    this.watch();
  }

  /** Ready when the connection is (the live-event bus's readiness says the same of its own). */
  override readiness(): { ready: boolean; detail: string } {
    return this.redis.status === 'ready' && !this.closing
      ? { ready: true, detail: `redis ${this.where}` }
      : { ready: false, detail: `Redis at ${this.where} is not reachable (presence: ${this.redis.status})` };
  }

  /** Resolves once connected (tests, tools). */
  whenReady(): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => this.redis.once('ready', () => resolve()));
  }

  override async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.redis.status !== 'ready') return this.redis.disconnect();
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  protected async load(identities: readonly string[]): Promise<Map<string, VersionedPresence>> {
    if (identities.length === 0) return new Map();
    const pipeline = this.redis.pipeline();
    for (const identity of identities) pipeline.hmget(this.agentKey(identity), 'version', 'tabs', 'announced');
    const results = (await pipeline.exec()) ?? [];
    return new Map(identities.map((identity, index) => {
      const [error, fields] = results[index] ?? [new Error('no reply')];
      if (error) throw error;
      const [version, tabs, announced] = fields as Array<string | null>;
      return [identity, {
        version: version ?? '',
        presence: { tabs: tabs ? (JSON.parse(tabs) as TabReport[]) : [], announced: announced ? (JSON.parse(announced) as AgentReachability) : null },
      }];
    }));
  }

  protected async save(identity: string, version: string, next: AgentPresence, deadline: number | null): Promise<boolean> {
    const saved = await (this.redis as RedisWithSave).savePresence(
      this.agentKey(identity), this.deadlinesKey, version, identity, JSON.stringify(next.tabs), JSON.stringify(next.announced),
      deadline === null ? '' : String(deadline), String(PRESENCE_KEY_TTL_MS),
    );
    return saved === 1;
  }

  protected due(now: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.deadlinesKey, '-inf', now, 'LIMIT', 0, limit);
  }

  protected async claim(identity: string): Promise<boolean> {
    // Not re-checked against `now`: a deadline moved later meanwhile is put back by the update that follows.
    return (await this.redis.zrem(this.deadlinesKey, identity)) === 1;
  }

  private agentKey(identity: string): string {
    return `${this.options.keyPrefix}presence:agent:${identity}`;
  }

  /** Logs state changes once each (ioredis repeats an error at every retry). */
  private watch(): void {
    let lastError: string | null = null;
    let wasReady = false;
    this.redis.on('ready', () => {
      this.logger.log(`Presence: Redis ${wasReady ? 'reconnected to' : 'connected to'} ${this.where}`);
      wasReady = true;
      lastError = null;
    });
    this.redis.on('error', (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (message === lastError || this.closing) return;
      lastError = message;
      this.logger.warn(`Presence: Redis at ${this.where}: ${message}`);
    });
  }
}

interface RedisWithSave extends Redis {
  savePresence(...args: string[]): Promise<number>;
}
