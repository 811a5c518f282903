import { ConfigError, loadAppConfig } from '@switchboard/api-data-access-config';
import { createApp } from './app/create-app';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadAppConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp({ config });
  app.enableShutdownHooks();
  // Sandbox mode binds loopback unless HOST says otherwise: its demo agents have a published password.
  await app.listen(config.port, config.http.host);
  app.getHttpAdapter().getInstance().log.info(`Switchboard API (${config.mode} mode) on ${config.publicBaseUrl}`);
}

void bootstrap();
