#!/usr/bin/env node
// The floor's real-time fan-out (issue 13, item 5): two API instances on one Postgres and one Redis, 500
// agents and 20 supervisors each holding a signed-in SSE stream (agents alternate between the instances, as
// a round-robin balancer spreads them; supervisors too), plus presence heartbeats every 5 s when the API
// serves PUT /api/presence. Agents change availability at a steady rate (PUT /api/availability, sent to the
// instances in turn); each change is one `agent.availability` event to the agent and every supervisor.
// Printed beside targets and a bare ceiling measured in the same run: two node:http processes relaying raw
// Redis pub/sub to the same 520 streams at the same rate. Nothing is asserted; the exit code is non-zero
// only when the bench itself could not run (e.g. Postgres or Redis missing).
// BENCH_FLOOR_RATE (changes/s, default 25: 525 deliveries/s offered), BENCH_FLOOR_SECONDS (default 20). Run after `npx nx build api`
// (without dist it runs the API from source through ts-node, and says so).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, missingServices, seedSignedInAgents, SERVICES, signIn, startApi } from './api-fleet.mjs';
import { cpuSeconds, openStream, openStreams, quantile, rssMiB, sampleRss } from './sse-clients.mjs';

const require = createRequire(import.meta.url);
const { Redis } = require('ioredis');
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');

const SETTINGS = {
  agents: 500, supervisors: 20,
  rate: Number(process.env.BENCH_FLOOR_RATE ?? 25),
  seconds: Number(process.env.BENCH_FLOOR_SECONDS ?? 20),
  presenceEveryMs: 5_000,
  /** How long to wait for the answers of changes still in flight when sending stops, then for their deliveries. */
  answersMs: 30_000,
  drainMs: 5_000,
};
/** Chosen targets: a supervisor's board a quarter-second behind at worst, and an instance in a small container. */
const TARGETS = { p50Ms: 50, p99Ms: 250, rssPeakMiB: 300 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The delivery ledger of one run: every change sent (keyed by identity and the state's `since`, which the
 * API answers and the event carries), and every event each stream received, counted by id per stream.
 */
function newLedger() {
  return {
    sent: 0, answered: 0, failed: 0, statuses: new Map(), cpu: null, expected: 0, delivered: 0, duplicates: 0, latencies: [], requestLatencies: [],
    otherDeliveries: new Map(), firstSentAt: null, lastDeliveredAt: null, changes: new Map(),
    /** Ids of `agent.reachability` events saying an agent became unreachable (a heartbeat judged missed under load). */
    unreachable: new Set(),
  };
}

function onEvent(ledger, seenByStream) {
  return (event, receivedAt) => {
    // Counted: the changes the bench makes (by the agent themself) once it starts making them; the API's own
    // (offline → available when the first presence report makes an agent reachable) are other deliveries.
    const counted = event.type === 'agent.availability' && event.data.by?.kind === 'self' && ledger.firstSentAt !== null && Date.parse(event.at) >= ledger.firstSentAt;
    if (!counted) {
      const kind = event.type === 'agent.availability' ? `${event.type} (by ${event.data.by?.kind}, before the run or not the bench's)` : event.type;
      if (!event.type.startsWith('session.')) ledger.otherDeliveries.set(kind, (ledger.otherDeliveries.get(kind) ?? 0) + 1);
      if (event.type === 'agent.reachability' && !event.data.reachable) ledger.unreachable.add(event.id);
      return;
    }
    if (seenByStream.has(event.id)) {
      ledger.duplicates++;
      return;
    }
    seenByStream.add(event.id);
    ledger.delivered++;
    ledger.lastDeliveredAt = receivedAt;
    ledger.latencies.push(receivedAt - Date.parse(event.at));
    const change = ledger.changes.get(`${event.data.availability.identity}|${event.data.availability.since}`);
    if (change) ledger.requestLatencies.push(receivedAt - change.sentAt);
  };
}

/** Calls `fire(n)` at `rate` per second for `seconds`, on an absolute schedule (a slow call does not delay the next). */
async function steadily(rate, seconds, fire) {
  const start = performance.now();
  const total = Math.round(rate * seconds);
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    fire(n);
  }
}

async function drain(ledger) {
  const answersBy = Date.now() + SETTINGS.answersMs;
  while (Date.now() < answersBy && ledger.answered + ledger.failed < ledger.sent) await sleep(50);
  const deliveriesBy = Date.now() + SETTINGS.drainMs;
  while (Date.now() < deliveriesBy && ledger.delivered < ledger.expected) await sleep(50);
}

const tally = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
const tallyText = (map) => [...map].sort().map(([key, n]) => `${key}: ${n}`).join(', ') || 'none';

function putJson(agent, baseUrl, path, cookie, body) {
  return new Promise((resolveAnswer) => {
    const payload = JSON.stringify(body);
    const req = request(`${baseUrl}${path}`, { method: 'PUT', agent, headers: { cookie, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolveAnswer({ status: res.statusCode, text }));
    });
    req.once('error', () => resolveAnswer({ status: 0, text: '' }));
    req.end(payload);
  });
}

/** The API run: two instances, the seeded people's streams, presence if served, availability changes. */
async function apiRun() {
  const database = await createDatabase();
  const shared = { REDIS_URL: SERVICES.redis, REDIS_KEY_PREFIX: `switchboard-bench-${randomBytes(4).toString('hex')}:` };
  const instances = [];
  try {
    // One after the other: the first applies the migrations and seeds the demo agents.
    instances.push(await startApi(root, database.url, shared));
    instances.push(await startApi(root, database.url, shared));
    const cookieName = (await signIn(instances[0].url, 'sam')).split('=')[0];
    const people = await seedSignedInAgents(database.pool, cookieName, SETTINGS);
    const rss = { idle: instances.map((i) => rssMiB(i.pid)) };
    const ledger = newLedger();
    const streams = await openStreams(people.length, (i) =>
      openStream(`${instances[i % 2].url}/api/events`, { cookie: people[i].cookie }, onEvent(ledger, new Set()), () => { ledger.streamsEnded = (ledger.streamsEnded ?? 0) + 1; }));
    rss.streamsOpen = instances.map((i) => rssMiB(i.pid));
    const sampler = sampleRss(instances.map((i) => i.pid));
    const httpAgent = new Agent({ keepAlive: true, maxSockets: 32 });
    const agents = people.filter((p) => p.role === 'agent');

    // Presence, as each softphone tab reports it, when the API serves it: every 5 s per agent, spread evenly.
    const probe = await putJson(httpAgent, instances[0].url, '/api/presence', agents[0].cookie, { tabId: 'bench_probe', device: 'registered', lifecycle: 'active' });
    const presence = { served: probe.status !== 404, sent: 0, statuses: new Map(), latencies: [], inFlight: 0 };
    let presenceTimer = null;
    if (presence.served) {
      let next = 0;
      presenceTimer = setInterval(() => {
        const agent = agents[next % agents.length];
        const tabId = `bench_tab_${next % agents.length}`;
        presence.sent++;
        presence.inFlight++;
        const sentAt = Date.now();
        void putJson(httpAgent, instances[next++ % 2].url, '/api/presence', agent.cookie, { tabId, device: 'registered', lifecycle: 'active' })
          .then((a) => { presence.inFlight--; tally(presence.statuses, a.status); presence.latencies.push(Date.now() - sentAt); });
      }, SETTINGS.presenceEveryMs / agents.length);
      await sleep(SETTINGS.presenceEveryMs + 1000); // every agent reported once: the burst of reachability changes is over
    }

    const statesSent = new Map();
    const cpuBefore = instances.map((i) => cpuSeconds(i.pid));
    ledger.firstSentAt = Date.now();
    await steadily(SETTINGS.rate, SETTINGS.seconds, (n) => {
      const agent = agents[n % agents.length];
      const count = statesSent.get(agent.identity) ?? 0;
      statesSent.set(agent.identity, count + 1);
      const body = count % 2 === 0 ? { state: 'away', reason: 'break' } : { state: 'available' };
      const sentAt = Date.now();
      ledger.sent++;
      void putJson(httpAgent, instances[n % 2].url, '/api/availability', agent.cookie, body).then((answer) => {
        tally(ledger.statuses, answer.status);
        if (answer.status !== 200) { ledger.failed++; return; }
        ledger.answered++;
        ledger.expected += 1 + SETTINGS.supervisors;
        ledger.changes.set(`${agent.identity}|${JSON.parse(answer.text).since}`, { sentAt });
      });
    });
    await drain(ledger);
    ledger.cpu = instances.map((i, k) => cpuSeconds(i.pid) - cpuBefore[k]);
    ledger.cpuSpan = (Date.now() - ledger.firstSentAt) / 1000;
    if (presenceTimer) clearInterval(presenceTimer);
    for (const settleBy = Date.now() + SETTINGS.drainMs; presence.inFlight > 0 && Date.now() < settleBy;) await sleep(50);
    const peaks = sampler.stop();
    rss.peak = instances.map((i) => peaks.get(i.pid));
    streams.forEach((s) => s.close());
    httpAgent.destroy();
    return { ledger, rss, presence, fromSource: instances.some((i) => i.fromSource), streamsEnded: ledger.streamsEnded ?? 0 };
  } finally {
    for (const instance of instances) await instance.stop();
    await database.drop();
  }
}

/** The ceiling: two bare relays, the same 520 streams, raw PUBLISH at the same rate (no HTTP request per change). */
async function bareRun() {
  const channel = `switchboard-bench-bare-${randomBytes(4).toString('hex')}`;
  const relays = await Promise.all([0, 1].map(() => new Promise((resolveRelay, reject) => {
    const child = fork(join(here, 'bare-fanout-server.mjs'), [], { env: { ...process.env, BENCH_REDIS_URL: SERVICES.redis, BENCH_CHANNEL: channel }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (m) => resolveRelay({ child, pid: child.pid, url: `http://127.0.0.1:${m.port}` }));
    child.once('exit', (code) => reject(new Error(`bare relay exited (${code})`)));
  })));
  const publisher = new Redis(SERVICES.redis);
  try {
    const rss = { idle: relays.map((r) => rssMiB(r.pid)) };
    const ledger = newLedger();
    const people = [
      ...Array.from({ length: SETTINGS.agents }, (_, i) => ({ identity: `bench_agent_${i}`, role: 'agent' })),
      ...Array.from({ length: SETTINGS.supervisors }, (_, i) => ({ identity: `bench_supervisor_${i}`, role: 'supervisor' })),
    ];
    const streams = await openStreams(people.length, (i) =>
      openStream(`${relays[i % 2].url}/events?identity=${people[i].identity}&role=${people[i].role}`, {}, onEvent(ledger, new Set())));
    rss.streamsOpen = relays.map((r) => rssMiB(r.pid));
    const sampler = sampleRss(relays.map((r) => r.pid));
    const cpuBefore = relays.map((r) => cpuSeconds(r.pid));
    ledger.firstSentAt = Date.now();
    await steadily(SETTINGS.rate, SETTINGS.seconds, (n) => {
      const identity = people[n % SETTINGS.agents].identity;
      const at = new Date().toISOString();
      const event = { id: `bare-${n}`, type: 'agent.availability', at, data: { availability: { identity, state: n % 2 ? 'available' : 'away', reason: null, since: at }, previous: 'offline', by: { kind: 'self' } } };
      ledger.sent++;
      ledger.changes.set(`${identity}|${at}`, { sentAt: Date.now() });
      void publisher.publish(channel, JSON.stringify({ event, identity })).then(() => { ledger.answered++; ledger.expected += 1 + SETTINGS.supervisors; }, () => { ledger.failed++; });
    });
    await drain(ledger);
    ledger.cpu = relays.map((r, k) => cpuSeconds(r.pid) - cpuBefore[k]);
    ledger.cpuSpan = (Date.now() - ledger.firstSentAt) / 1000;
    const peaks = sampler.stop();
    rss.peak = relays.map((r) => peaks.get(r.pid));
    streams.forEach((s) => s.close());
    return { ledger, rss };
  } finally {
    publisher.disconnect();
    for (const relay of relays) relay.child.disconnect();
  }
}

function figures(ledger) {
  const spanS = ((ledger.lastDeliveredAt ?? ledger.firstSentAt) - ledger.firstSentAt) / 1000;
  return {
    perSecond: spanS > 0 ? ledger.delivered / spanS : 0,
    p50: quantile(ledger.latencies, 0.5), p99: quantile(ledger.latencies, 0.99), max: ledger.latencies.length ? Math.max(...ledger.latencies) : NaN,
    requestP50: quantile(ledger.requestLatencies, 0.5), requestP99: quantile(ledger.requestLatencies, 0.99),
    lost: Math.max(0, ledger.expected - ledger.delivered),
  };
}

const sum = (values) => values.reduce((total, v) => total + v, 0);
const cpuOf = (ledger) => `${ledger.cpu.map((c) => c.toFixed(1)).join(' + ')} in ${ledger.cpuSpan.toFixed(0)}`;

function print(api, bare, machine) {
  const a = figures(api.ledger);
  const b = figures(bare.ledger);
  const offered = SETTINGS.rate * (1 + SETTINGS.supervisors);
  const mib = (v) => (Number.isFinite(v) ? `${v.toFixed(0)} MiB` : 'n/a');
  const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');
  console.log(`\nFloor fan-out: 2 API instances (${api.fromSource ? 'from source via ts-node: RSS includes the compiler' : 'dist/apps/api/main.js'}), Postgres, Redis pub/sub; `
    + `${SETTINGS.agents} agents + ${SETTINGS.supervisors} supervisors on SSE, ${SETTINGS.rate} availability changes/s for ${SETTINGS.seconds} s`);
  console.log(`date ${machine.date}; machine: ${machine.cores} cores, ${machine.cpu}; load average ${machine.loadBefore} before, ${loadavg().map((l) => l.toFixed(2)).join(' ')} after; Node ${process.version}`);
  console.log(`presence heartbeats: ${api.presence.served
    ? `${api.presence.sent} sent (each agent every ${SETTINGS.presenceEveryMs / 1000} s: ${(SETTINGS.agents * 1000) / SETTINGS.presenceEveryMs}/s); answers ${tallyText(api.presence.statuses)}; `
      + `answered in p50 ${ms(quantile(api.presence.latencies, 0.5))} / p99 ${ms(quantile(api.presence.latencies, 0.99))}`
    : 'PUT /api/presence not served by this build (404): none sent'}`);
  console.log(`availability PUT answers: ${tallyText(api.ledger.statuses)} (0 = no answer: connection error)`);
  const rows = [
    ['changes sent / answered 200 (bare: published)', `${api.ledger.sent} / ${api.ledger.answered}`, 'all', `${bare.ledger.sent} / ${bare.ledger.answered}`],
    ['deliveries/s (agent.availability to streams; first change → last delivery)', a.perSecond.toFixed(0), `${offered} (= offered)`, b.perSecond.toFixed(0)],
    ['deliveries expected / received / not received by the end / duplicated', `${api.ledger.expected} / ${api.ledger.delivered} / ${a.lost} / ${api.ledger.duplicates}`, '… / all / 0 / 0',
      `${bare.ledger.expected} / ${bare.ledger.delivered} / ${b.lost} / ${bare.ledger.duplicates}`],
    ['delivery latency p50 (event at → received)', ms(a.p50), `≤ ${TARGETS.p50Ms} ms`, ms(b.p50)],
    ['delivery latency p99 (event at → received)', ms(a.p99), `≤ ${TARGETS.p99Ms} ms`, ms(b.p99)],
    ['delivery latency max', ms(a.max), '', ms(b.max)],
    ['request sent → delivered p50 / p99 (incl. the PUT and its write)', `${ms(a.requestP50)} / ${ms(a.requestP99)}`, '', `${ms(b.requestP50)} / ${ms(b.requestP99)} (publish)`],
    ['streams ended during the run', String(api.streamsEnded), '0', ''],
    ['CPU s of instances A + B (relays) from the first change to the end / per change (API: incl. presence)',
      `${cpuOf(api.ledger)} s / ${(1000 * sum(api.ledger.cpu) / Math.max(1, api.ledger.answered)).toFixed(1)} ms`, '',
      `${cpuOf(bare.ledger)} s / ${(1000 * sum(bare.ledger.cpu) / Math.max(1, bare.ledger.answered)).toFixed(1)} ms`],
    ...(api.presence.served ? [['agents told unreachable during the run (agent.reachability, distinct events)', String(api.ledger.unreachable.size), '0', '']] : []),
    ...[0, 1].map((i) => [`RSS instance ${'AB'[i]}: idle / 260 streams open / peak`, `${mib(api.rss.idle[i])} / ${mib(api.rss.streamsOpen[i])} / ${mib(api.rss.peak[i])}`,
      `peak ≤ ${TARGETS.rssPeakMiB} MiB`, `${mib(bare.rss.idle[i])} / ${mib(bare.rss.streamsOpen[i])} / ${mib(bare.rss.peak[i])}`]),
    ...[...api.ledger.otherDeliveries].map(([type, count]) => [`other deliveries: ${type}`, String(count), '', '']),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ['figure', 'API', 'target'][i].length));
  console.log(`\n${'figure'.padEnd(widths[0])} | ${'API'.padEnd(widths[1])} | ${'target'.padEnd(widths[2])} | bare ceiling (node:http + Redis pub/sub)`);
  for (const row of rows) console.log(`${row[0].padEnd(widths[0])} | ${row[1].padEnd(widths[1])} | ${row[2].padEnd(widths[2])} | ${row[3]}`);
}

const problem = await missingServices();
if (problem) {
  console.error(problem);
  process.exit(1);
}
const machine = { date: new Date().toISOString(), cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', loadBefore: loadavg().map((l) => l.toFixed(2)).join(' ') };
try {
  const api = await apiRun();
  const bare = await bareRun();
  print(api, bare, machine);
  process.exit(0);
} catch (error) {
  console.error(`floor bench could not run: ${error.stack ?? error}`);
  process.exit(1);
}
