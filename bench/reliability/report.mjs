// The printed figures of the client reliability bench: each with what was expected, none asserted.

export function printReport(results, problems, machine) {
  const { outages, kills, soak, nonTerminal, sampleErrors } = results;
  console.log(`\nClient reliability on the voice sandbox (real Voice SDK in Chromium, loopback) — mode ${results.mode}`);
  console.log(`date ${machine.date}; machine: nproc ${machine.nproc}, ${machine.cpuModel}; load ${machine.load}; Node ${machine.node}`);

  console.log('\n#8 calls through a media outage on alice\'s side of an answered alice → bob call');
  console.log('   (sandbox stall-media on her leg: RTP dropped both ways and her ICE checks unanswered; signaling untouched)');
  console.log('   stayed open: the call never left `open` and audio came back by itself (outage shorter than ICE notices)');
  console.log(['outage', 'n', 'reconnected', 'ended 53405', 'ended other', 'stayed open', 'stuck', 'not run', 'non-terminal'].map((h, i) => (i > 1 ? h.padStart(13) : i ? h.padStart(4) : h.padEnd(8))).join(''));
  for (const key of [...new Set(outages.map((o) => `${o.seconds} s`))]) {
    const runs = outages.filter((o) => `${o.seconds} s` === key);
    const share = (pred) => {
      const k = runs.filter(pred).length;
      return `${k} (${Math.round((100 * k) / runs.length)}%)`;
    };
    const cells = [
      share((o) => o.kind === 'reconnected'),
      share((o) => o.kind === 'ended-53405'),
      share((o) => o.kind === 'ended-other'),
      share((o) => o.kind === 'stayed-open'),
      share((o) => o.kind?.startsWith('stuck')),
      String(runs.filter((o) => o.kind === 'sample-error').length),
      String(runs.filter((o) => o.historyStatus && !isTerminal(o.historyStatus)).length),
    ];
    console.log(`${key.padEnd(8)}${String(runs.length).padStart(4)}${cells.map((c) => c.padStart(13)).join('')}`);
  }
  for (const o of outages.filter((o) => o.kind !== 'sample-error')) {
    const parts = [
      o.reconnectingAfterMs !== undefined ? `reconnecting after ${ms(o.reconnectingAfterMs)}` : 'no reconnecting',
      o.restoreToReconnectedMs !== undefined ? `reconnected ${Math.round(o.restoreToReconnectedMs)} ms after the outage ended` : undefined,
      o.audioStopped ? undefined : 'audio did NOT stop',
      o.endedAfterMs !== undefined ? `ended after ${ms(o.endedAfterMs)}` : undefined,
      o.outcome ? `outcome "${o.outcome}"` : undefined,
      o.bobSawReconnecting ? 'bob saw reconnecting' : undefined,
      `history ${o.historyStatus}`,
    ].filter(Boolean);
    console.log(`  ${String(o.seconds).padStart(2)} s ${o.kind.padEnd(18)} ${parts.join('; ')}`);
  }
  line('calls left non-terminal in history, after 60 s grace (both agents)', nonTerminal.length, '0', nonTerminal.slice(0, 5).join(', '));
  const stopped = outages.filter((o) => o.kind !== 'sample-error');
  line('outages where alice\'s inbound audio really stopped (the fault bit)', `${stopped.filter((o) => o.audioStopped).length}/${stopped.length}`, `${stopped.length}/${stopped.length}`);
  console.log('\n#9 media restored → `reconnected` (negative: reconnected before the outage ended)');
  console.log(`  ${stats(outages.map((o) => o.restoreToReconnectedMs).filter((v) => v !== undefined))}`);

  console.log('\n#10 sandbox SIGKILLed and restarted (same port and data dir); alice and bob signed in, idle');
  console.log(['down', 'registered again', 'reloaded', 'chip left registered', 'up → registered ms', 'kill → registered ms', 'call after rang'].map((h, i) => (i ? h.padStart(i === 1 ? 18 : 21) : h.padEnd(6))).join(''));
  for (const k of kills) {
    if (k.error) {
      console.log(`${`${k.downSeconds} s`.padEnd(6)} not run: ${k.error}`);
      continue;
    }
    const agents = k.perAgent;
    console.log(
      `${`${k.downSeconds} s`.padEnd(6)}` +
        `${agents.filter((a) => a.reRegistered).length}/${agents.length}`.padStart(18) +
        String(agents.filter((a) => a.reloaded).length).padStart(21) +
        `${agents.filter((a) => a.chipLeftRegistered).length}/${agents.length}`.padStart(21) +
        agents.map((a) => (a.upToRegisteredMs === undefined ? '-' : String(Math.round(a.upToRegisteredMs)))).join(', ').padStart(21) +
        agents.map((a) => (a.killToRegisteredMs === undefined ? '-' : String(Math.round(a.killToRegisteredMs)))).join(', ').padStart(21) +
        `${k.rang.length}/${k.ringsTried}`.padStart(21),
    );
  }
  const allAgents = kills.flatMap((k) => k.perAgent ?? []);
  line('softphones registered again without a reload', `${allAgents.filter((a) => a.reRegistered && !a.reloaded).length}/${allAgents.length}`, `${allAgents.length}/${allAgents.length}`);
  console.log(`  sandbox up → registered: ${stats(allAgents.map((a) => a.upToRegisteredMs).filter((v) => v !== undefined))}`);
  const tried = kills.reduce((sum, k) => sum + (k.ringsTried ?? 0), 0);
  line('calls after recovery that rang (PSTN → bob, bob → alice)', `${kills.reduce((sum, k) => sum + (k.rang?.length ?? 0), 0)}/${tried}`, `${tried}/${tried}`, kills.filter((k) => k.rang).map((k) => `${k.downSeconds} s: ${k.rang.join(', ') || 'none'}`).join('; '));

  if (soak) {
    console.log(`\n#11 token-refresh soak: ${soak.minutes} min, 60 s tokens refreshed 30 s before expiry, bob idle, a PSTN call every 2 min`);
    line('token refreshes done (200)', soak.refreshes, `≈${soak.expectedRefreshes}`);
    line('token requests that failed', soak.refreshFailures.length, '0', soak.refreshFailures.join(', '));
    line('registration gaps (chip left `registered`)', soak.gaps.length, '0', soak.gaps.length ? `${soak.gaps.map((g) => ms(g)).join(', ')}; states ${soak.gapStates.join(', ')}` : '');
    line('sandbox samples with bob unregistered (every 15 s)', `${soak.sandboxSamples.unregistered}/${soak.sandboxSamples.total}`, `0/${soak.sandboxSamples.total}`);
    line('20104 (token expired) errors', soak.errors20104, '0');
    const delivered = soak.rings.filter((r) => r.delivered);
    line('calls rung and delivered to bob', `${delivered.length}/${soak.rings.length}`, `${soak.rings.length}/${soak.rings.length}`);
    console.log(`  PSTN call → incoming card: ${stats(delivered.map((r) => r.ringMs))}`);
  } else {
    console.log('\n#11 token-refresh soak: not run');
  }

  console.log('\n#17 on every page, across all of the above');
  const rejections = [...new Set([...problems.rejections, ...problems.pageErrors.filter((e) => /in promise/i.test(e))])];
  line('unhandled promise rejections', rejections.length, '0', rejections.slice(0, 3).join(' | '));
  line('uncaught page errors (pageerror)', problems.pageErrors.length, '0', problems.pageErrors.slice(0, 3).join(' | '));
  // Console errors by who wrote them (browser.mjs consoleErrorSource) and whether an injected fault was under way.
  const inFault = (e) => problems.faultWindows.some((w) => e.at >= w.from && e.at <= (w.to ?? Infinity));
  const errorsOf = (source, duringFaults) => problems.consoleErrors.filter((e) => e.source === source && inFault(e) === duringFaults);
  const windowsMs = problems.faultWindows.reduce((sum, w) => sum + ((w.to ?? Date.now()) - w.from), 0);
  console.log(`  console errors: ${problems.consoleErrors.length} in all; ${problems.faultWindows.length} fault windows (injection → recovery seen), ${ms(windowsMs)} together`);
  consoleLine('app console errors (anything not the SDK\'s or Chromium\'s)', problems.consoleErrors.filter((e) => e.source === 'app'), '0');
  consoleLine('Voice SDK error logs during injected faults', errorsOf('sdk', true), 'reported; none outside fault windows');
  consoleLine('Voice SDK error logs outside fault windows', errorsOf('sdk', false), '0');
  // Before sign-in the page asks /api/auth/me whether its cookie is still good; "no" is a 401 Chromium logs.
  const isSessionProbe = (e) => e.section === 'sign-in' && e.text.includes('status of 401') && e.text.includes('/api/auth/me');
  consoleLine('Chromium failed-request errors during injected faults', errorsOf('browser', true), 'reported');
  consoleLine('Chromium failed-request errors outside fault windows', errorsOf('browser', false).filter((e) => !isSessionProbe(e)), '0');
  line('Chromium: 401 from the signed-out session probe (/api/auth/me) at sign-in', errorsOf('browser', false).filter(isSessionProbe).length, 'one per agent signing in');
  line('requests outside loopback', problems.offLoopback.length, '0', [...new Set(problems.offLoopback)].slice(0, 3).join(', '));
  if (sampleErrors.length) {
    console.log(`\nsamples the harness could not run (${sampleErrors.length}; a product fault or the machine's load):`);
    for (const error of sampleErrors) console.log(`  - ${error}`);
  }
}

/** One class of console errors: the count, then per section the commonest distinct lines. */
function consoleLine(label, errors, expected) {
  line(label, errors.length, expected);
  for (const section of [...new Set(errors.map((e) => e.section))]) {
    const inSection = errors.filter((e) => e.section === section);
    console.log(`    during ${section}: ${inSection.length}`);
    for (const entry of grouped(inSection.map((e) => `${e.identity}: ${e.text}`))) console.log(`      ${entry}`);
  }
}

function line(label, value, expected, detail = '') {
  console.log(`  ${label}: ${value} (expected ${expected})${detail ? ` — ${detail}` : ''}`);
}

/** Distinct console errors with counts, the commonest first (at most 6). */
function grouped(errors) {
  const counts = new Map();
  for (const e of errors) {
    const key = e.replace(/\d{3,}/g, 'N').replace(/\s+at .*/s, '').slice(0, 200);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${n}× ${k}`);
}

function stats(values) {
  if (!values.length) return 'n 0';
  const s = [...values].sort((a, b) => a - b);
  const at = (p) => s[Math.max(0, Math.ceil(p * s.length) - 1)];
  return `n ${s.length}, p50 ${Math.round(at(0.5))}, p95 ${Math.round(at(0.95))}, min ${Math.round(s[0])}, max ${Math.round(s[s.length - 1])} ms`;
}

const ms = (v) => `${(v / 1000).toFixed(1)} s`;
const isTerminal = (status) => ['completed', 'busy', 'no-answer', 'canceled', 'failed'].includes(status);
