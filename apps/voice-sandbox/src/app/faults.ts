import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SignalingServer } from '@switchboard/sandbox-feature-signaling';
import { HttpError, isLoopback, readJson, sendJson } from './http-util';

/** Longest any fault may last: faults are for tests, and must always undo themselves. */
export const MAX_FAULT_SECONDS = 120;

/** POST /sandbox/faults/<name>: off unless enabled, loopback callers only, bounded durations. */
export async function handleFault(
  name: string,
  req: IncomingMessage,
  res: ServerResponse,
  signaling: SignalingServer,
  enabled: boolean,
): Promise<void> {
  if (!enabled) throw new HttpError(404, 'Fault hooks are off (set SANDBOX_FAULTS=on or "faults": true)');
  if (!isLoopback(req.socket.remoteAddress)) throw new HttpError(403, 'Fault hooks accept loopback callers only');
  const body = await readJson(req);
  const text = (key: string): string => {
    const value = body[key];
    if (typeof value !== 'string' || value.length === 0 || value.length > 200) throw new HttpError(400, `"${key}" must be a non-empty string`);
    return value;
  };
  const seconds = (): number => {
    const value = body['seconds'];
    if (typeof value !== 'number' || !(value > 0) || value > MAX_FAULT_SECONDS) {
      throw new HttpError(400, `"seconds" must be a number in (0, ${MAX_FAULT_SECONDS}]`);
    }
    return value;
  };
  const endpoint = (): ReturnType<SignalingServer['endpointOf']> & object => {
    const found = signaling.endpointOf(text('callSid'));
    if (!found) throw new HttpError(404, 'No live SDK leg with that callSid');
    return found;
  };
  switch (name) {
    case 'drop-socket':
      return sendJson(res, 200, { affected: signaling.dropSocket(text('identity')) });
    case 'stop-heartbeats':
      return sendJson(res, 200, { affected: signaling.stopHeartbeats(text('identity'), seconds()) });
    case 'expire-token':
      return sendJson(res, 200, { affected: signaling.expireToken(text('identity')) });
    case 'refuse-connections':
      signaling.refuseConnections(seconds());
      return sendJson(res, 200, { affected: 1 });
    case 'stall-media': {
      const target = endpoint();
      target.stall(seconds() * 1000);
      return sendJson(res, 200, { affected: 1 });
    }
    case 'packet-loss': {
      const target = endpoint();
      const percent = body['percent'];
      if (typeof percent !== 'number' || percent < 0 || percent > 100) throw new HttpError(400, '"percent" must be 0-100');
      target.lose(percent, seconds() * 1000);
      return sendJson(res, 200, { affected: 1 });
    }
    default:
      throw new HttpError(404, `Unknown fault "${name}"`);
  }
}
