// The three fault runs of the client reliability bench. Each returns what it saw; none asserts anything.
// Every wait is bounded; a sample that cannot be run is returned as { error } and the run goes on.
import { once } from 'node:events';
import { describe, dial, seen, sleep, until } from './browser.mjs';

const TERMINAL = new Set(['completed', 'busy', 'no-answer', 'canceled', 'failed']);
/** After a stall ends: how long the call gets to come back (the SDK's ICE-restart back-off tops out near 30 s). */
const AFTER_OUTAGE_MS = 35_000;
/** How long the API gets to store a terminal status after a call ended (status callbacks, reconciliation). */
const HISTORY_GRACE_MS = 60_000;
const REREGISTER_MS = 90_000;
const SUPPORT_NUMBER = '+14155550100';
const CALLER_NUMBER = '+14155550178';

/**
 * One alice → bob call (bob's page accepts), alice's media cut for `seconds` by the sandbox's stall-media hook:
 * its RTP to and from her leg is dropped and her browser's ICE checks go unanswered, as in a network outage
 * (her signaling WebSocket is untouched). Then what became of the call, and what the API stored.
 */
export async function outageRun(stack, alice, bob, seconds, faults = []) {
  await dial(alice, 'bob');
  await alice.page.locator('[data-testid=in-call-view][data-phase=open]').waitFor();
  await until(() => audioBytes(alice), (bytes) => bytes > 0, 10_000);
  const leg = await until(() => aliceLiveLeg(stack), (found) => found !== undefined, 10_000);
  if (!leg) throw new Error(`no live leg for alice in the sandbox; ${await describe(alice)}`);
  const start = Date.now();
  // The fault window: from the injection until the call settled (ended, or open with audio back).
  const window = { label: `outage ${seconds} s`, from: start };
  faults.push(window);
  const fault = await stack.sandbox('POST', '/sandbox/faults/stall-media', { callSid: leg.callSid, seconds });
  if (fault.status !== 200) throw new Error(`stall-media answered ${fault.status}: ${JSON.stringify(fault.body)}`);
  const restoredAt = start + seconds * 1000;

  // Whether the fault bit: alice's inbound audio bytes from 1 s into the outage to just before it ends.
  const during = {};
  let bytesAtRestore;
  const settled = await until(
    async () => {
      const now = Date.now();
      if (now >= start + 1000 && now < restoredAt - 100) {
        during.first ??= await audioBytes(alice);
        during.last = await audioBytes(alice);
      }
      if (bytesAtRestore === undefined && now >= restoredAt) bytesAtRestore = await audioBytes(alice);
      const phases = (await seen(alice)).phase.filter((p) => p.at >= start);
      const ended = phases.some((p) => p.value === 'none');
      const current = phases.at(-1)?.value ?? 'open';
      const audioBack = bytesAtRestore !== undefined && now > restoredAt + 3000 && (await audioBytes(alice)) > bytesAtRestore + 1000;
      return { ended, calm: current === 'open' && audioBack };
    },
    ({ ended, calm }) => ended || calm,
    seconds * 1000 + AFTER_OUTAGE_MS,
    200,
  );
  window.to = Date.now();
  const aliceSeen = await seen(alice);
  const phases = aliceSeen.phase.filter((p) => p.at >= start);
  const reconnecting = phases.find((p) => p.value === 'reconnecting');
  const reopened = reconnecting ? phases.find((p) => p.value === 'open' && p.at > reconnecting.at) : undefined;
  const endedAt = phases.find((p) => p.value === 'none')?.at;
  const outcome = aliceSeen.outcomes.filter((o) => o.at >= start).at(-1);
  const bobPhases = (await seen(bob)).phase.filter((p) => p.at >= start).map((p) => p.value);

  let kind;
  if (endedAt !== undefined) kind = /53405/.test(outcome?.text ?? '') ? 'ended-53405' : 'ended-other';
  else if (reopened) kind = 'reconnected';
  else if (!settled) kind = reconnecting ? 'stuck-reconnecting' : 'stuck-silent';
  else kind = 'stayed-open';

  if (endedAt === undefined) await hangUp(alice);
  await endOnBothSides(alice, bob);
  const record = await until(() => callRecord(alice, stack.apiUrl, leg.callSid), (r) => r !== undefined && TERMINAL.has(r.status), HISTORY_GRACE_MS, 1000);
  const finalRecord = record ?? (await callRecord(alice, stack.apiUrl, leg.callSid));
  return {
    seconds,
    callSid: leg.callSid,
    kind,
    outcome: outcome?.text,
    audioStopped: during.first !== undefined && during.last - during.first < 200,
    reconnectingAfterMs: reconnecting ? reconnecting.at - start : undefined,
    restoreToReconnectedMs: reopened ? reopened.at - restoredAt : undefined,
    endedAfterMs: endedAt !== undefined ? endedAt - start : undefined,
    bobSawReconnecting: bobPhases.includes('reconnecting'),
    bobCallEndedBeforeHangUp: kind.startsWith('ended') && bobPhases.includes('none'),
    historyStatus: finalRecord?.status ?? 'missing',
  };
}

/** After a failed sample: end whatever is left so the next one starts from idle. */
export async function endOnBothSides(...agents) {
  for (const agent of agents) {
    if (await agent.page.getByTestId('in-call-view').count()) await hangUp(agent);
    if (await agent.page.getByTestId('decline-button').count()) await agent.page.getByTestId('decline-button').click({ timeout: 5000 }).catch(() => undefined);
  }
  for (const agent of agents) {
    await agent.page.getByTestId('in-call-view').waitFor({ state: 'detached', timeout: 40_000 });
    await agent.page.getByTestId('incoming-card').waitFor({ state: 'detached', timeout: 40_000 });
  }
}

async function hangUp(agent) {
  await agent.page.getByTestId('hang-up-button').click({ timeout: 5000 }).catch(() => undefined);
}

/**
 * The sandbox SIGKILLed, down for `downSeconds`, started again on the same port and data dir. Then: did every
 * softphone register again without a reload, how long after the sandbox was back, and does a new call ring.
 */
export async function killRun(stack, agents, downSeconds, faults = []) {
  const documents = new Map();
  for (const agent of agents) documents.set(agent, (await seen(agent)).documentId);
  const child = stack.children.sandbox;
  const killedAt = Date.now();
  // The fault window: from the kill until every softphone is registered again (or given up on).
  const window = { label: `sandbox down ${downSeconds} s`, from: killedAt };
  faults.push(window);
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
  await sleep(downSeconds * 1000);
  await stack.restartSandbox();
  const upAt = Date.now();

  const perAgent = [];
  for (const agent of agents) {
    const back = await until(
      async () => {
        const { chip, documentId } = await seen(agent);
        const sandboxCount = (await stack.sandbox('GET', '/sandbox/calls')).body?.registrations?.[agent.identity] ?? 0;
        const leftRegistered = chip.some((c) => c.at > killedAt && c.value !== 'registered');
        const online = chip.at(-1)?.value === 'registered';
        // A chip that never left `registered` is timed by when the sandbox had the registration again.
        const registeredAt = !online ? undefined : leftRegistered ? chip.filter((c) => c.at > killedAt && c.value === 'registered').at(-1)?.at : sandboxCount > 0 ? Date.now() : undefined;
        return { registered: registeredAt === undefined ? undefined : { at: registeredAt }, sandboxCount, documentId, leftRegistered };
      },
      ({ registered, sandboxCount }) => registered !== undefined && sandboxCount > 0,
      REREGISTER_MS,
      250,
    );
    const last = back ?? (await seen(agent));
    perAgent.push({
      identity: agent.identity,
      reRegistered: back !== undefined,
      chipLeftRegistered: back?.leftRegistered,
      reloaded: last.documentId !== documents.get(agent),
      upToRegisteredMs: back ? back.registered.at - upAt : undefined,
      killToRegisteredMs: back ? back.registered.at - killedAt : undefined,
    });
  }
  window.to = Date.now();

  // After recovery: a PSTN call to the support number (its ring group is bob), then bob calls alice.
  const [bob, alice] = [agents.find((a) => a.identity === 'bob'), agents.find((a) => a.identity === 'alice')];
  const rang = [];
  let ringStart = Date.now();
  const placed = await stack.sandbox('POST', '/sandbox/inbound', { from: CALLER_NUMBER, to: SUPPORT_NUMBER, script: [{ wait: 15 }, { hangup: true }] });
  if (placed.status === 201 && (await rings(bob, ringStart))) rang.push('bob (PSTN)');
  await endOnBothSides(...agents);
  ringStart = Date.now();
  await dial(bob, 'alice');
  if (await rings(alice, ringStart)) rang.push('alice (from bob)');
  await endOnBothSides(...agents);
  return { downSeconds, perAgent, placedStatus: placed.status, rang, ringsTried: 2 };
}

/** Whether the agent's incoming card showed (after `since`) within 20 s. */
async function rings(agent, since) {
  const shown = await until(async () => (await seen(agent)).incoming.find((i) => i.at >= since && i.value === 'shown'), (s) => s !== undefined, 20_000);
  return shown !== undefined;
}

/**
 * One agent online for `minutes` on 60 s tokens; a call from the PSTN to the support number every 2 min
 * (the first after 1 min). Samples the sandbox's registration of the agent every 15 s.
 */
export async function tokenSoak(stack, agent, minutes, log) {
  const start = Date.now();
  const end = start + minutes * 60_000;
  const tokensBefore = agent.tokens.length;
  const rings = [];
  const sandboxSamples = { total: 0, unregistered: 0 };
  let nextRing = start + 60_000;
  let nextSample = start;
  while (Date.now() < end) {
    if (Date.now() >= nextSample) {
      nextSample += 15_000;
      const count = (await stack.sandbox('GET', '/sandbox/calls').catch(() => undefined))?.body?.registrations?.[agent.identity] ?? 0;
      sandboxSamples.total++;
      if (count === 0) sandboxSamples.unregistered++;
    }
    if (Date.now() >= nextRing && nextRing < end) {
      nextRing += 120_000;
      rings.push(await ringOnce(stack, agent));
      log(`soak: ${Math.round((Date.now() - start) / 60_000)} min, rings delivered ${rings.filter((r) => r.delivered).length}/${rings.length}`);
      continue;
    }
    await sleep(Math.max(0, Math.min(1000, end - Date.now())));
  }
  const { chip, errorCodes } = await seen(agent);
  const during = chip.filter((c) => c.at >= start);
  const gaps = [];
  let leftAt;
  for (const c of during) {
    if (c.value !== 'registered' && leftAt === undefined) leftAt = c.at;
    if (c.value === 'registered' && leftAt !== undefined) {
      gaps.push(c.at - leftAt);
      leftAt = undefined;
    }
  }
  if (leftAt !== undefined) gaps.push(Date.now() - leftAt);
  const tokens = agent.tokens.slice(tokensBefore);
  return {
    minutes,
    refreshes: tokens.filter((t) => t.status === 200).length,
    refreshFailures: tokens.filter((t) => t.status !== 200).map((t) => t.status),
    gaps,
    gapStates: [...new Set(during.filter((c) => c.value !== 'registered').map((c) => c.value))],
    sandboxSamples,
    errors20104: agent.signaling20104 + errorCodes.filter((e) => e.value === '20104' && e.at >= start).length,
    rings,
  };
}

async function ringOnce(stack, agent) {
  const at = Date.now();
  const placed = await stack.sandbox('POST', '/sandbox/inbound', { from: CALLER_NUMBER, to: SUPPORT_NUMBER, script: [{ wait: 20 }, { hangup: true }] });
  if (placed.status !== 201) return { delivered: false, why: `sandbox answered ${placed.status}` };
  const shown = await until(async () => (await seen(agent)).incoming.find((i) => i.at >= at && i.value === 'shown'), (s) => s !== undefined, 20_000);
  await endOnBothSides(agent);
  return { delivered: shown !== undefined, ringMs: shown ? shown.at - at : undefined };
}

/** Every call in the agent's history (newest 100) that is not in a terminal status. */
export async function nonTerminalCalls(agent, apiUrl) {
  const history = await historyItems(agent, apiUrl);
  return history.filter((call) => !TERMINAL.has(call.status)).map((call) => `${agent.identity}: ${call.callSid} ${call.status}`);
}

async function callRecord(agent, apiUrl, callSid) {
  return (await historyItems(agent, apiUrl)).find((call) => call.callSid === callSid);
}

async function historyItems(agent, apiUrl) {
  const response = await agent.page.request.get(`${apiUrl}/api/calls?page=1&pageSize=100`);
  if (!response.ok()) throw new Error(`GET /api/calls answered ${response.status()}`);
  return (await response.json()).items;
}

async function aliceLiveLeg(stack) {
  const { body } = await stack.sandbox('GET', '/sandbox/calls');
  return body?.legs?.find((leg) => leg.from === 'client:alice' && leg.direction === 'inbound' && leg.status === 'in-progress');
}

function audioBytes(agent) {
  return agent.page.evaluate(() => window.__sbRel.inboundAudioBytes());
}
