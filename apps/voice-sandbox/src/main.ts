import { ConfigError, loadConfig } from './app/config';
import { startSandbox } from './app/sandbox-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const sandbox = await startSandbox(config);
  process.stdout.write(`Voice sandbox ready at ${sandbox.url} (signaling wss://${config.host}:${sandbox.port}/signal)\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Voice sandbox stopping (${signal})\n`);
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
