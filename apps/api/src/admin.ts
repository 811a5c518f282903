import { runAdminCli } from '@switchboard/api-feature-auth';

/** `npm run admin -- <command>`: the operator's command line over the API's database (see --help). */
runAdminCli(process.argv.slice(2), { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr })
  .then((code) => { process.exitCode = code; });
