import { buildSync, type Metafile } from 'esbuild';
import { join } from 'node:path';

/**
 * The browser dialer imports the light functions from the same index as the policy. This bundles
 * both ways with esbuild (the bundler under Angular's builder) and checks which metadata ships.
 */
function bundledInputs(importLine: string): string[] {
  const libraryRoot = join(__dirname, '../..');
  const result = buildSync({
    stdin: { contents: `${importLine}\nconsole.log(used);`, resolveDir: libraryRoot, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs: Metafile['outputs'] = result.metafile.outputs;
  return Object.values(outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
}

describe('light entry', () => {
  it('ships the min metadata and none of the max metadata or the policy for the dialer functions', () => {
    const inputs = bundledInputs(
      "import { formatAsYouType, parsePhoneNumber, isE164 } from './src/index';\nconst used = [formatAsYouType, parsePhoneNumber, isE164];",
    );
    expect(inputs.some((path) => path.endsWith('metadata.min.json.js'))).toBe(true);
    expect(inputs.filter((path) => /metadata\.max|number-policy|parse-phone-number-with-type/.test(path))).toEqual([]);
  });

  it('ships the max metadata once the policy is used', () => {
    const inputs = bundledInputs("import { evaluateNumberPolicy } from './src/index';\nconst used = evaluateNumberPolicy;");
    expect(inputs.some((path) => path.endsWith('metadata.max.json.js'))).toBe(true);
  });
});
