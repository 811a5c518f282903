import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  readonly generated: boolean;
}

/**
 * The sandbox's certificate. The SDK only speaks wss://, so TLS is mandatory. Given files win;
 * otherwise a self-signed certificate for localhost/127.0.0.1 is made once with `selfsigned`
 * (pure JS: no openssl binary needed) and kept in dataDir/tls, so a browser exception the developer
 * accepted once survives restarts.
 */
export async function loadOrCreateTls(dataDir: string, given?: { certFile: string; keyFile: string }): Promise<TlsMaterial> {
  if (given) return { cert: readFileSync(given.certFile, 'utf8'), key: readFileSync(given.keyFile, 'utf8'), generated: false };
  const dir = join(dataDir, 'tls');
  const certFile = join(dir, 'sandbox-cert.pem');
  const keyFile = join(dir, 'sandbox-key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), generated: false };
  }
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + 825 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(certFile, pems.cert);
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  return { cert: pems.cert, key: pems.private, generated: true };
}
