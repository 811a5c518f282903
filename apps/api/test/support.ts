import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DATABASE, Database, rowsOf } from '@switchboard/api-data-access-db';
import { loadAppConfig, type AppConfig } from '@switchboard/api-data-access-config';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';
import { XMLParser } from 'fast-xml-parser';
import { Pool } from 'pg';
import { getExpectedTwilioSignature } from 'twilio';
import { createApp } from '../src/app/create-app';

/** The public origin Twilio "calls"; requests really arrive on 127.0.0.1, as behind a proxy. */
export const PUBLIC_BASE_URL = 'https://switchboard.test';

/** Every suite runs on the embedded engine, and on a real Postgres too when TEST_DATABASE_URL is set. */
export const ENGINES: ReadonlyArray<'pglite' | 'postgres'> = process.env['TEST_DATABASE_URL'] ? ['pglite', 'postgres'] : ['pglite'];

export interface TestApi {
  readonly url: string;
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  readonly database: Database;
  readonly logLines: string[];
  close(): Promise<void>;
}

/** `schema`: on Postgres, two apps given the same one share a database, as two API instances do. */
export async function startApi(
  engine: 'pglite' | 'postgres', env: Record<string, string> = {}, { schema = `t_${randomBytes(6).toString('hex')}` }: { schema?: string } = {},
): Promise<TestApi> {
  const config = loadAppConfig({
    SWITCHBOARD_MODE: 'sandbox',
    PUBLIC_BASE_URL,
    DATA_DIR: 'memory://',
    STATIC_DIR: 'none',
    LOG_LEVEL: 'info',
    // Most specs are about what a route's TwiML and ringing do, with no softphone reporting presence: they ring
    // every enabled member. Specs about routing by availability and reachability pass 'true' (the default).
    ROUTE_ONLY_AVAILABLE: 'false',
    ...(engine === 'postgres' ? { DATABASE_URL: process.env['TEST_DATABASE_URL'] as string } : {}),
    ...env,
  });
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app = await createApp({ config, databaseSearchPath: engine === 'postgres' ? schema : undefined, logStream });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const database = app.get<Database>(DATABASE);
  return {
    url, app, config, database, logLines,
    async close() {
      await app.close();
      if (engine === 'postgres') {
        const pool = new Pool({ connectionString: process.env['TEST_DATABASE_URL'], max: 1 });
        try { await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`); } finally { await pool.end(); }
      }
    },
  };
}

export async function signIn(api: TestApi, identity: string, password = 'switchboard-demo'): Promise<string> {
  const response = await fetch(`${api.url}${API_ROUTES.auth.login}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${identity} answered ${response.status}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${api.config.sessions.cookieName}=`));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0];
}

/** POSTs a form to a webhook, signed exactly as Twilio signs it (over the public URL), unless told otherwise. */
export async function postWebhook(
  api: TestApi,
  pathAndQuery: string,
  params: Record<string, string>,
  options: { signature?: string | null; signedParams?: Record<string, string>; signedUrl?: string } = {},
): Promise<Response> {
  const signature = options.signature !== undefined
    ? options.signature
    : getExpectedTwilioSignature(api.config.twilio.authToken, options.signedUrl ?? `${PUBLIC_BASE_URL}${pathAndQuery}`, options.signedParams ?? params);
  return fetch(`${api.url}${pathAndQuery}`, {
    method: 'POST',
    body: new URLSearchParams(params),
    headers: signature === null ? {} : { 'X-Twilio-Signature': signature },
  });
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => ['Client', 'Say', 'Number'].includes(name) });

/** Parses TwiML; throws on anything that is not a <Response> document. */
export function parseTwiml(text: string): Record<string, any> {
  if (!text.startsWith('<?xml')) throw new Error(`not an XML document: ${text.slice(0, 80)}`);
  const parsed = xml.parse(text, true) as { Response?: Record<string, any> | '' };
  if (parsed.Response === undefined) throw new Error('no <Response>');
  return parsed.Response === '' ? {} : parsed.Response;
}

export async function countRows(api: TestApi, table: 'calls' | 'call_events' | 'voicemails' | 'call_participants' | 'sessions'): Promise<number> {
  const result = await api.database.db.execute(sql.raw(`SELECT count(*)::int AS n FROM ${table}`));
  return (rowsOf(result)[0] as { n: number }).n;
}

export const callSid = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
export const recordingSid = (n: number) => `RE${n.toString(16).padStart(32, '0')}`;
