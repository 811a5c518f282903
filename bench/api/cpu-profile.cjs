// Preloaded into the API by run.mjs when BENCH_CPU_PROF is set (`node -r`): a "start" line on stdin starts
// the V8 CPU profiler, a "stop" line stops it and writes the profile to $BENCH_CPU_PROF_FILE. Only the
// measured rounds are profiled that way; `node --cpu-prof` would mostly record the boot (migrations, module
// loading). Stdin, not a signal: Nest's shutdown hooks treat SIGUSR2 and the like as a request to exit.
const { writeFileSync } = require('node:fs');
const { Session } = require('node:inspector');
const { createInterface } = require('node:readline');

const session = new Session();
session.connect();
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'start') {
    session.post('Profiler.enable', () => session.post('Profiler.start'));
  } else if (line === 'stop') {
    session.post('Profiler.stop', (error, result) => {
      if (error) console.error(`cpu-profile: ${error.message}`);
      else writeFileSync(process.env.BENCH_CPU_PROF_FILE, JSON.stringify(result.profile));
    });
  }
});
// Stdin stays open while the bench runs; it must not keep the API alive at shutdown.
process.stdin.unref();
