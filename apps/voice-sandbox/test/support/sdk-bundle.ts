import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/** Bundles the unmodified @twilio/voice-sdk into an IIFE exposing `window.Twilio.Device`. */
export async function bundleVoiceSdk(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'voice-sdk-bundle-'));
  const outfile = join(dir, 'voice-sdk.js');
  try {
    await build({
      stdin: {
        contents: "import { Device, Call } from '@twilio/voice-sdk'; window.Twilio = { Device, Call };",
        resolveDir: WORKSPACE_ROOT,
        loader: 'js',
      },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      outfile,
      logLevel: 'silent',
    });
    return readFileSync(outfile, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
