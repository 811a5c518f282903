// The ceiling: a bare node:http server doing the same work per request as the API's routes, without
// framework or sessions. Started by run.mjs in its own process.
// The webhooks do the API's durable writes (issue 15). The outgoing one: the same statement as
// libs/api/data-access-db/src/lib/call-start-writer.ts (one unnest CTE upserting the call and its
// participants), with the same group commit (the calls received in one event-loop turn go in one
// statement), the same driver and the same kind of database: BENCH_BARE_DB is
// {"engine":"postgres","url":…} (a `pg` Pool with the API's settings, on the API's own database) or
// {"engine":"pglite","dataDir":…,"migrations":…} (PGlite on its own fresh data dir, migrated with the
// API's own migrations, bundled by run.mjs). It answers only once the row is committed, as the API does.
// The dial-complete one ends the call's cap grant (one UPDATE, as the API does).
import { createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { parse } from 'node:querystring';

const require = createRequire(import.meta.url);
const twilio = require('twilio');
const { SANDBOX } = JSON.parse(process.env.BENCH_SANDBOX);
const publicBaseUrl = process.env.BENCH_PUBLIC_BASE_URL;
const secret = createSecretKey(Buffer.from(SANDBOX.apiKeySecret));

// CallStartWriter's statement, parameters numbered as drizzle numbers them: keep the two in step.
const CALL_START_SQL = `
      WITH input AS (
        SELECT * FROM unnest(
          $1::text[], $2::text[], $3::text[],
          $4::text[], $5::text[], $6::text[],
          $7::int[], $8::text[]
        ) AS t(call_sid, direction, from_number, to_number, voicemail_target, status, status_rank, started_at)
      ), upserted AS (
        INSERT INTO calls (call_sid, direction, from_number, to_number, voicemail_target, status, status_rank, started_at)
        SELECT call_sid, direction, from_number, to_number, voicemail_target, status, status_rank, started_at::timestamptz FROM input
        ON CONFLICT (call_sid) DO UPDATE SET
          voicemail_target = COALESCE(calls.voicemail_target, excluded.voicemail_target),
          started_at = LEAST(calls.started_at, excluded.started_at)
        -- A retry that changes nothing writes nothing (no dead row version per retry).
        WHERE (calls.voicemail_target IS NULL AND excluded.voicemail_target IS NOT NULL) OR excluded.started_at < calls.started_at
        RETURNING 1
      )
      INSERT INTO call_participants (call_sid, agent_identity)
      SELECT * FROM unnest($9::text[], $10::text[])
      ON CONFLICT DO NOTHING`;

// OutboundCallCaps.end's statement, as drizzle numbers it.
const END_GRANT_SQL = `
      UPDATE outbound_call_grants SET ended_at = $1::timestamptz WHERE call_sid = $2 AND ended_at IS NULL`;

const query = await openDatabase(JSON.parse(process.env.BENCH_BARE_DB ?? 'null'));

/** The writer's group commit, minus its retry-one-by-one path (a bench row never fails). */
let queue = [];
let draining = false;
function recordCall(call) {
  return new Promise((resolve, reject) => {
    queue.push({ call, resolve, reject });
    if (!draining) {
      draining = true;
      setImmediate(drain);
    }
  });
}
async function drain() {
  while (queue.length > 0) {
    const batch = queue.slice(0, 200);
    queue = queue.slice(batch.length);
    const calls = batch.map((p) => p.call);
    const column = (pick) => calls.map(pick);
    try {
      await query(CALL_START_SQL, [
        column((c) => c.callSid), column((c) => c.direction), column((c) => c.from), column((c) => c.to), column((c) => c.voicemailTarget),
        column((c) => c.status), column(() => 1 /* callStatusRank('initiated') */), column((c) => c.at.toISOString()),
        calls.flatMap((c) => c.participants.map(() => c.callSid)), calls.flatMap((c) => c.participants),
      ]);
      for (const p of batch) p.resolve();
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
  draining = false;
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/token') {
      const token = new twilio.jwt.AccessToken(SANDBOX.accountSid, SANDBOX.apiKeySid, secret, { identity: 'alice', ttl: 3600 });
      token.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ outgoingApplicationSid: SANDBOX.twimlAppSid, incomingAllow: true }));
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ token: token.toJwt(), identity: 'alice' }));
    } else if (req.url === '/webhooks/voice/outgoing' || req.url === '/webhooks/voice/dial-complete') {
      const params = parse(Buffer.concat(chunks).toString());
      if (!twilio.validateRequest(SANDBOX.authToken, String(req.headers['x-twilio-signature'] ?? ''), `${publicBaseUrl}${req.url}`, params)) {
        res.writeHead(403).end();
        return;
      }
      const response = new twilio.twiml.VoiceResponse();
      if (req.url === '/webhooks/voice/dial-complete') {
        // As CallPlanner.planDialComplete: the dial is over, so the call's phone-call cap grant ends (one
        // UPDATE, OutboundCallCaps.end, before the answer), then an answered dial hangs up.
        response.hangup();
        const ended = query ? query(END_GRANT_SQL, [new Date().toISOString(), String(params.CallSid)]) : Promise.resolve();
        ended.then(() => {
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end(response.toString());
        }, (error) => {
          console.error(`bare: grant update failed: ${error.message}`);
          res.writeHead(500).end();
        });
        return;
      }
      const callee = String(params.To).slice(7);
      response.dial({ answerOnBridge: true, timeout: 20, action: `${publicBaseUrl}/webhooks/voice/dial-complete` }).client(callee);
      const caller = String(params.From).slice(7);
      const write = query
        ? recordCall({
          callSid: String(params.CallSid), direction: 'outbound', from: `client:${caller}`, to: `client:${callee}`,
          participants: [caller, callee], voicemailTarget: `agent:${callee}`, status: 'initiated', at: new Date(),
        })
        : Promise.resolve();
      write.then(() => {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(response.toString());
      }, (error) => {
        console.error(`bare: call write failed: ${error.message}`);
        res.writeHead(500).end();
      });
    } else {
      res.writeHead(404).end();
    }
  });
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => server.close(() => process.exit(0)));

/** A `(text, params) => Promise` on the configured database, or null when none is (the old write-free ceiling). */
async function openDatabase(config) {
  if (!config) return null;
  if (config.engine === 'postgres') {
    const { Pool } = require('pg');
    // postgres-pool.ts's settings that touch a healthy statement's path.
    const pool = new Pool({ connectionString: config.url, max: 10, statement_timeout: 10_000, query_timeout: 12_000, keepAlive: true });
    process.on('disconnect', () => void pool.end());
    return (text, values) => pool.query(text, values);
  }
  // The API's engine settings (database.ts, embedded-initdb.ts): WebAssembly by Liftoff alone, shared_buffers=16MB.
  (await import('node:v8')).setFlagsFromString('--liftoff-only');
  const { PGlite } = await import('@electric-sql/pglite');
  const client = new PGlite(config.dataDir, { postgresqlconf: 'shared_buffers=16MB\n' });
  await client.waitReady;
  const { MIGRATIONS } = await import(config.migrations);
  await client.transaction(async (tx) => {
    for (const migration of MIGRATIONS) for (const statement of migration.statements) await tx.query(statement);
  });
  process.on('disconnect', () => void client.close());
  return (text, values) => client.query(text, values);
}
