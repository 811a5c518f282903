import { Injectable } from '@nestjs/common';

/** A customer call to hold until an agent of its route is available and reachable. */
export interface QueueRequest {
  readonly customerCallSid: string;
  readonly customerNumber: string;
  /** The number's route, `group:<name>` or `agent:<identity>`. */
  readonly target: string;
  /** The identities the call may be offered to, in the route's order. */
  readonly members: readonly string[];
}

/** The queue of inbound customer calls nobody could take (issue 13, item 3). Stub. */
@Injectable()
export class CallQueue {
  async enqueue(request: QueueRequest): Promise<void> {
    void request;
  }
}
