import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_CALL_MESSAGE_CONTENT, type LegStatus, type MessageFromSdk, type SdkMessageChannel } from '@switchboard/sandbox-model';
import { requireLoopbackUrl, rfc2822, type TwimlEngineDeps } from '@switchboard/sandbox-twiml-engine';
import { authenticate, type SandboxRestConfig } from './rest-config';
import { RestError, sendError, sendJson } from './rest-errors';
import { formValue, readRestForm } from './rest-form';

export interface CallMessageResourcesOptions {
  readonly config: SandboxRestConfig;
  /** The SDK legs (the signaling side implements it). */
  readonly channel: SdkMessageChannel;
  readonly engine: Pick<TwimlEngineDeps, 'webhooks' | 'clock' | 'log'>;
  /** The call as the REST subset knows it (any account); undefined when unknown. */
  readonly findCall: (callSid: string) => { readonly accountSid: string; readonly status: LegStatus } | undefined;
}

interface Subscription {
  readonly sid: string;
  readonly accountSid: string;
  readonly callSid: string;
  readonly callback: string;
  readonly method: 'GET' | 'POST';
  readonly dateCreated: number;
  sequenceNumber: number;
}

const PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\/([^/]+)\/(UserDefinedMessages|UserDefinedMessageSubscriptions)(?:\/([^/]+?))?\.json$/;
/** Twilio documents no window for IdempotencyKey; the sandbox remembers a key for a day. */
const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Twilio's call message resources, under /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/:
 * - `POST UserDefinedMessages.json` (Content, IdempotencyKey): a `message` frame to the call's SDK leg;
 * - `POST UserDefinedMessageSubscriptions.json` (Callback, Method, IdempotencyKey) and
 *   `DELETE UserDefinedMessageSubscriptions/{Sid}.json`: every message the SDK leg sends is posted to
 *   Callback as a signed webhook.
 * Errors: 20404 unknown call or subscription, 21220 (invalid call state) for a call that is not in
 * progress or has no SDK leg, 32702 Content missing or not JSON, 32703 Content over 10 000 characters.
 * Resolves `false` for other paths; never throws.
 */
export function createCallMessageResources(options: CallMessageResourcesOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const { channel, engine } = options;
  const subscriptions = new Map<string, Subscription>();
  const idempotent = new Map<string, { readonly at: number; readonly body: Record<string, unknown> }>();
  channel.onMessageFromSdk((message) => {
    for (const subscription of subscriptions.values()) if (subscription.callSid === message.callSid) notify(subscription, message);
  });

  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const match = PATH.exec(path);
    if (!match) return false;
    const [, accountPart, callSid, collection, sid] = match;
    try {
      const { accountSid } = authenticate(req, options.config, decodeURIComponent(accountPart));
      const call = options.findCall(callSid);
      if (!call || call.accountSid !== accountSid) throw notFound(path);
      if (collection === 'UserDefinedMessages' && !sid && req.method === 'POST') {
        await createMessage(req, res, accountSid, callSid);
      } else if (collection === 'UserDefinedMessageSubscriptions' && !sid && req.method === 'POST') {
        await createSubscription(req, res, accountSid, callSid, call.status);
      } else if (collection === 'UserDefinedMessageSubscriptions' && sid && req.method === 'DELETE') {
        const subscription = subscriptions.get(sid);
        if (!subscription || subscription.callSid !== callSid) throw notFound(path);
        subscriptions.delete(sid);
        res.writeHead(204);
        res.end();
      } else if (sid && collection === 'UserDefinedMessageSubscriptions') {
        throw new RestError(405, 20004, 'Method not allowed');
      } else {
        throw notFound(path);
      }
    } catch (error) {
      if (error instanceof RestError) sendError(res, error);
      else {
        engine.log.error('call message resource failed', { path, error: String(error) });
        sendError(res, new RestError(500, 20500, 'Internal Server Error'));
      }
    }
    return true;
  };

  async function createMessage(req: IncomingMessage, res: ServerResponse, accountSid: string, callSid: string): Promise<void> {
    const form = await readRestForm(req);
    const repeat = remembered(accountSid, callSid, 'message', formValue(form, 'IdempotencyKey'));
    if (repeat.body) return sendJson(res, 201, repeat.body);
    const content = form.get('Content') ?? '';
    if (!isJson(content)) throw new RestError(400, 32702, 'Invalid Content: only data in JSON format is supported.');
    if (content.length > MAX_CALL_MESSAGE_CONTENT) {
      throw new RestError(400, 32703, `Content exceeds the maximum allowed length of ${MAX_CALL_MESSAGE_CONTENT} characters.`);
    }
    requireCallState(options.findCall(callSid)?.status, callSid);
    const sid = newSid('KX');
    if (!channel.deliver(callSid, { content, contentType: 'application/json', voiceEventSid: sid })) throw noSdkLeg(callSid);
    const body = { account_sid: accountSid, call_sid: callSid, sid, date_created: rfc2822(engine.clock.now()) };
    repeat.remember(body);
    sendJson(res, 201, body);
  }

  async function createSubscription(req: IncomingMessage, res: ServerResponse, accountSid: string, callSid: string, status: LegStatus): Promise<void> {
    const form = await readRestForm(req);
    const repeat = remembered(accountSid, callSid, 'subscription', formValue(form, 'IdempotencyKey'));
    if (repeat.body) return sendJson(res, 201, repeat.body);
    const callback = formValue(form, 'Callback');
    if (!callback) throw new RestError(400, 20001, 'Missing required parameter Callback.');
    try {
      requireLoopbackUrl(callback);
    } catch (error) {
      throw new RestError(400, 20001, `Callback is not usable: ${(error as Error).message}`);
    }
    const methodText = (formValue(form, 'Method') || 'POST').toUpperCase();
    if (methodText !== 'GET' && methodText !== 'POST') throw new RestError(400, 20001, 'Method must be GET or POST.');
    requireCallState(status, callSid);
    if (!channel.hasSdkLeg(callSid)) throw noSdkLeg(callSid);
    const subscription: Subscription = {
      sid: newSid('ZY'), accountSid, callSid, callback, method: methodText, dateCreated: engine.clock.now(), sequenceNumber: 0,
    };
    dropSubscriptionsOfEndedCalls();
    subscriptions.set(subscription.sid, subscription);
    const body = {
      account_sid: accountSid, call_sid: callSid, sid: subscription.sid, date_created: rfc2822(subscription.dateCreated),
      uri: `/2010-04-01/Accounts/${accountSid}/Calls/${callSid}/UserDefinedMessageSubscriptions/${subscription.sid}.json`,
    };
    repeat.remember(body);
    sendJson(res, 201, body);
  }

  /**
   * The callback's parameters, named as Twilio names them: ContentType, Content, SequenceNumber,
   * CallSid and Sid (the SDK's voiceEventSid) are what Twilio's own integration test asserts
   * (twilio/twilio-voice.js tests/integration/callMessage/userDefinedMessage.ts); AccountSid and
   * Timestamp (RFC 2822) complete the docs' example request (docs/voice/sdks/call-message-events).
   */
  function notify(subscription: Subscription, message: MessageFromSdk): void {
    subscription.sequenceNumber += 1;
    const params = {
      AccountSid: subscription.accountSid,
      CallSid: message.callSid,
      Sid: message.voiceEventSid,
      ContentType: message.contentType,
      Content: message.content,
      SequenceNumber: String(subscription.sequenceNumber),
      Timestamp: rfc2822(engine.clock.now()),
    };
    void engine.webhooks
      .notify({ url: subscription.callback, method: subscription.method, params, accountSid: subscription.accountSid })
      .then((result) => {
        if (!result.ok) engine.log.warn('call message callback failed', { subscription: subscription.sid, code: result.code, message: result.message });
      });
  }

  /** A repeated IdempotencyKey (same account, call and resource, within the window) gets the first answer back. */
  function remembered(accountSid: string, callSid: string, resource: string, key: string | undefined) {
    const now = engine.clock.now();
    for (const [k, entry] of idempotent) if (now - entry.at > IDEMPOTENCY_WINDOW_MS) idempotent.delete(k);
    const id = key ? `${accountSid}/${callSid}/${resource}/${key}` : undefined;
    return {
      body: id === undefined ? undefined : idempotent.get(id)?.body,
      remember: (body: Record<string, unknown>) => {
        if (id !== undefined) idempotent.set(id, { at: now, body });
      },
    };
  }

  function dropSubscriptionsOfEndedCalls(): void {
    for (const [sid, subscription] of subscriptions) if (options.findCall(subscription.callSid)?.status !== 'in-progress') subscriptions.delete(sid);
  }
}

function requireCallState(status: LegStatus | undefined, callSid: string): void {
  if (status !== 'in-progress') throw new RestError(400, 21220, `Call ${callSid} is not in-progress (it is ${status ?? 'unknown'}).`);
}

function noSdkLeg(callSid: string): RestError {
  return new RestError(400, 21220, `Call ${callSid} has no Voice SDK leg connected; call messages reach SDK legs only.`);
}

function notFound(path: string): RestError {
  return new RestError(404, 20404, `The requested resource ${path} was not found`);
}

function isJson(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function newSid(prefix: 'KX' | 'ZY'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}
