import { timingSafeEqual } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { RestError } from './rest-errors';

export interface RestAccount {
  readonly accountSid: string;
  readonly authToken: string;
  readonly apiKeys: readonly { readonly sid: string; readonly secret: string }[];
}

export interface SandboxRestConfig {
  readonly accounts: readonly RestAccount[];
  /** Origin the sandbox is reached at, for `uri`s and RecordingUrls (e.g. https://127.0.0.1:8443). */
  readonly publicOrigin: string;
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * HTTP Basic auth as Twilio takes it: AccountSid:AuthToken, or ApiKeySid:ApiKeySecret of that
 * account. The account comes from the credentials; the path's AccountSid must be the same one.
 */
export function authenticate(req: IncomingMessage, config: SandboxRestConfig, pathAccountSid: string): RestAccount {
  const account = authenticateAccount(req, config);
  if (account.accountSid !== pathAccountSid) throw new RestError(401, 20003, 'Authenticate');
  return account;
}

/**
 * The account whose credentials a request carries, for resources whose path names no account (Voice
 * Insights' `/v1/Voice/…`): 401 without valid ones.
 */
export function authenticateAccount(req: IncomingMessage, config: SandboxRestConfig): RestAccount {
  const header = req.headers.authorization ?? '';
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(header);
  const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const username = colon > 0 ? decoded.slice(0, colon) : '';
  const password = colon > 0 ? decoded.slice(colon + 1) : '';
  const account = config.accounts.find((candidate) =>
    username === candidate.accountSid
      ? same(password, candidate.authToken)
      : candidate.apiKeys.some((key) => key.sid === username && same(password, key.secret)),
  );
  if (!account) throw new RestError(401, 20003, 'Authenticate');
  return account;
}
