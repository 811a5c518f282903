import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadAppConfig, type AppConfig } from '@switchboard/api-data-access-config';
import { DATABASE, type Database } from '@switchboard/api-data-access-db';
import { Pool } from 'pg';
import { createApp } from '../../src/app/create-app';
import { freePort } from './free-port';
import { startSandboxFromSource, stopSandbox, type SandboxProcess } from './sandbox-from-source';

export interface ApiWithSandbox {
  readonly sandbox: SandboxProcess;
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  /** The API's origin, which is also its PUBLIC_BASE_URL and the sandbox's SANDBOX_API_BASE_URL. */
  readonly url: string;
  readonly database: Database;
  /** Stops the sandbox (if still running) and the API, drops the Postgres schema and removes the sandbox's data. */
  close(): Promise<void>;
}

/**
 * The real voice sandbox started from source and a sandbox-mode API (in this process, quiet) listening on
 * the origin the sandbox calls back (PUBLIC_BASE_URL = SANDBOX_API_BASE_URL), so the API's records come from
 * the sandbox's own signed callbacks. `env` adds to or overrides the API's configuration, `sandboxEnv` the sandbox's.
 */
export async function startApiOnSandboxCallbackOrigin(
  engine: 'pglite' | 'postgres',
  { dataDirPrefix, env = {}, sandboxEnv = {} }: { dataDirPrefix: string; env?: Record<string, string>; sandboxEnv?: Record<string, string> },
): Promise<ApiWithSandbox> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), dataDirPrefix));
  let sandbox: SandboxProcess | undefined;
  let app: NestFastifyApplication | undefined;
  const close = async () => {
    await stopSandbox(sandbox);
    await app?.close();
    if (engine === 'postgres') {
      const pool = new Pool({ connectionString: process.env['TEST_DATABASE_URL'], max: 1 });
      try { await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`); } finally { await pool.end(); }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    sandbox = await startSandboxFromSource(origin, dataDir, sandboxEnv);
    const config = loadAppConfig({
      SWITCHBOARD_MODE: 'sandbox', PUBLIC_BASE_URL: origin, TWILIO_API_BASE_URL: sandbox.url, DATA_DIR: 'memory://', STATIC_DIR: 'none', LOG_LEVEL: 'warn',
      // As startApi: rings every enabled member (no softphone reports presence here) unless a spec asks for routing by availability.
      ROUTE_ONLY_AVAILABLE: 'false',
      ...env,
      ...(engine === 'postgres' ? { DATABASE_URL: process.env['TEST_DATABASE_URL'] as string } : {}),
    });
    const quiet = new Writable({ write(_chunk, _encoding, done) { done(); } });
    app = await createApp({ config, databaseSearchPath: engine === 'postgres' ? schema : undefined, logStream: quiet });
    await app.listen(port, '127.0.0.1');
    return { sandbox, app, config, url: origin, database: app.get<Database>(DATABASE), close };
  } catch (error) {
    await close();
    throw error;
  }
}
