import { Inject, Injectable } from '@nestjs/common';
import type { QueuedCall } from '@switchboard/shared-contracts';
import { DATABASE, Database } from '../database';

/** Inbound customer calls waiting for an agent (issue 13, item 3). Stub: filled in by migration 0014_call_queue. */
@Injectable()
export class QueueRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** The calls still waiting or being offered, oldest first, position 1 = next to be offered. */
  async waiting(now: Date = new Date()): Promise<QueuedCall[]> {
    void this.database;
    void now;
    return [];
  }
}
