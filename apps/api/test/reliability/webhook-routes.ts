import { RequestMethod } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { rowsOf } from '@switchboard/api-data-access-db';
import { TwilioSignatureGuard } from '@switchboard/api-data-access-telephony';
import { IS_PUBLIC_KEY } from '@switchboard/api-http-boundary';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { callSid, recordingSid, type TestApi } from '../support';

export interface DiscoveredRoute {
  readonly method: string;
  readonly path: string;
  /** Guarded by TwilioSignatureGuard. */
  readonly webhook: boolean;
  /** Needs no session (login, client config, health). */
  readonly public: boolean;
}

/**
 * Every route the running app registered, read from its controllers' metadata, so a route added
 * later joins the corpus and the fuzz without anyone remembering to list it.
 */
export function discoverRoutes(api: TestApi): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  for (const module of api.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const prefix = String(Reflect.getMetadata(PATH_METADATA, type) ?? '/').replace(/^\/?/, '/').replace(/\/$/, '');
      const classGuards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, type) ?? [];
      const classPublic = Reflect.getMetadata(IS_PUBLIC_KEY, type) === true;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const guards: unknown[] = [...classGuards, ...(Reflect.getMetadata(GUARDS_METADATA, handler) ?? [])];
        routes.push({
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number],
          path: `${prefix}${path.startsWith('/') ? path : `/${path}`}`,
          webhook: guards.includes(TwilioSignatureGuard),
          public: classPublic || Reflect.getMetadata(IS_PUBLIC_KEY, handler) === true,
        });
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

const ACCOUNT = SANDBOX_CREDENTIALS.accountSid;
const at = (second: number) => new Date(Date.UTC(2026, 10, 24, 10, 0, second)).toUTCString().replace('GMT', '+0000');

/** A request Twilio could send to one webhook: its path (with the query Twilio would call) and form pairs. */
export interface WebhookRequest {
  readonly path: string;
  readonly pairs: Array<[string, string]>;
}

/**
 * A complete, valid request per webhook route, as Twilio sends it; `n` makes its SIDs unique. A
 * webhook route without an entry here fails the suite: the corpus must cover every route.
 */
export function genuineRequest(api: TestApi, route: string, n: number): WebhookRequest {
  const sid = callSid(n);
  const rest = `${api.config.twilio.apiBaseUrl}/2010-04-01/Accounts/${ACCOUNT}/Recordings/${recordingSid(n)}`;
  const common: Array<[string, string]> = [['AccountSid', ACCOUNT], ['CallSid', sid], ['ApiVersion', '2010-04-01']];
  switch (route) {
    case WEBHOOK_ROUTES.outgoing:
      return { path: route, pairs: [...common, ['From', 'client:alice'], ['To', 'client:bob'], ['Caller', 'client:alice'], ['CallStatus', 'ringing'], ['Direction', 'inbound']] };
    case WEBHOOK_ROUTES.incoming:
      return { path: route, pairs: [...common, ['From', SANDBOX_NUMBERS.customer], ['To', SANDBOX_NUMBERS.support], ['CallStatus', 'ringing'], ['Direction', 'inbound']] };
    case WEBHOOK_ROUTES.dialComplete:
      return { path: route, pairs: [...common, ['DialCallStatus', 'no-answer'], ['CallStatus', 'in-progress'], ['From', SANDBOX_NUMBERS.customer], ['To', SANDBOX_NUMBERS.support]] };
    case WEBHOOK_ROUTES.voicemailComplete:
      return { path: route, pairs: [...common, ['RecordingSid', recordingSid(n)], ['RecordingDuration', '7'], ['RecordingUrl', rest]] };
    case WEBHOOK_ROUTES.recordingStatus:
      return {
        path: `${route}?to=${encodeURIComponent(SANDBOX_NUMBERS.support)}&from=${encodeURIComponent(SANDBOX_NUMBERS.customer)}`,
        pairs: [...common, ['RecordingSid', recordingSid(n)], ['RecordingStatus', 'completed'], ['RecordingDuration', '7'], ['RecordingUrl', rest], ['RecordingChannels', '1'], ['RecordingSource', 'RecordVerb']],
      };
    case WEBHOOK_ROUTES.status:
      return {
        path: route,
        pairs: [...common, ['CallStatus', 'completed'], ['SequenceNumber', '3'], ['Timestamp', at(n % 60)], ['CallDuration', '12'],
          ['From', SANDBOX_NUMBERS.callerId], ['To', '+14155550111'], ['Direction', 'outbound-dial'], ['CallbackSource', 'call-progress-events']],
      };
    case WEBHOOK_ROUTES.conferenceStatus:
      return {
        path: route,
        pairs: [['AccountSid', ACCOUNT], ['ConferenceSid', `CF${n.toString(16).padStart(32, '0')}`], ['FriendlyName', `call-${sid}`], ['SequenceNumber', '2'],
          ['Timestamp', at(n % 60)], ['StatusCallbackEvent', 'participant-join'], ['CallSid', sid], ['ParticipantLabel', 'customer'],
          ['Muted', 'false'], ['Hold', 'false'], ['Coaching', 'false'], ['EndConferenceOnExit', 'false'], ['StartConferenceOnEnter', 'true']],
      };
    case WEBHOOK_ROUTES.ringAgentAnswered:
      return { path: `${route}?supervisor=sam`, pairs: [...common, ['From', SANDBOX_NUMBERS.callerId], ['To', 'client:bob'], ['CallStatus', 'in-progress'], ['Direction', 'outbound-api']] };
    case WEBHOOK_ROUTES.transferStatus:
      return {
        path: `${route}?transfer=0b0d186b-cca9-4640-9d70-${n.toString(16).padStart(12, '0')}`,
        pairs: [...common, ['CallStatus', 'ringing'], ['SequenceNumber', '1'], ['Timestamp', at(n % 60)], ['From', SANDBOX_NUMBERS.callerId],
          ['To', '+14155550111'], ['Direction', 'outbound-api'], ['CallbackSource', 'call-progress-events']],
      };
    case WEBHOOK_ROUTES.rescueHold:
      // The holdUrl request of a held conference participant (the customer whose agent dropped out).
      return { path: route, pairs: [...common, ['CallStatus', 'in-progress'], ['ConferenceSid', `CF${n.toString(16).padStart(32, '0')}`]] };
    case WEBHOOK_ROUTES.queueWait:
      // The waitUrl request of a queued customer's conference (POST, the call signed into the query).
      return { path: `${route}?call=${sid}`, pairs: [...common, ['CallStatus', 'in-progress'], ['ConferenceSid', `CF${n.toString(16).padStart(32, '0')}`]] };
    default:
      throw new Error(`No genuine request is known for webhook ${route}: add one to reliability/webhook-routes.ts`);
  }
}

/** Every table of the app's schema with its row count and a digest of its whole content. */
export async function snapshotTables(api: TestApi): Promise<Record<string, { rows: number; digest: string }>> {
  const tables = rowsOf(await api.database.db.execute(sql`
    SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)) as Array<{ table_name: string }>;
  if (tables.length === 0) throw new Error('no tables found in the current schema');
  const snapshot: Record<string, { rows: number; digest: string }> = {};
  for (const { table_name: table } of tables) {
    const [row] = rowsOf(await api.database.db.execute(sql.raw(
      `SELECT count(*)::int AS rows, coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS digest FROM "${table}" t`))) as Array<{ rows: number; digest: string }>;
    snapshot[table] = row;
  }
  return snapshot;
}
