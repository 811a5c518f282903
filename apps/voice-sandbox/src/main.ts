import { ConfigError, loadConfig } from './app/config';
import { startSandbox } from './app/sandbox-app';
import { twimlEngineExtensions } from './app/twiml-wiring';

async function main(): Promise<void> {
  const config = loadConfig();
  const sandbox = await startSandbox(config, twimlEngineExtensions());
  process.stdout.write(`Voice sandbox ready at ${sandbox.url} (signaling wss://${config.host}:${sandbox.port}/signal)\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Voice sandbox stopping (${signal})\n`);
    // Open calls and sockets are closed by close(); never hang a developer's terminal on it.
    setTimeout(() => process.exit(0), 5000).unref();
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
