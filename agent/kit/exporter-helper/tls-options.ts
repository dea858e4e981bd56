// Client TLS options shared by the network exporters, the Collector's configtls names. Files are
// read when the exporter starts, so a bad path fails start with the option's name, not a send;
// tls-reload.ts reads them again when they change.
import { readFile } from 'node:fs/promises';
import { z } from '../config/schema.ts';

export const tlsClientOptions = {
  ca_file: z
    .string()
    .optional()
    .describe('PEM CA bundle that signs the server certificate. Default: the system roots.'),
  cert_file: z.string().optional().describe('PEM client certificate for mutual TLS; needs key_file.'),
  key_file: z.string().optional().describe('PEM client private key for mutual TLS; needs cert_file.'),
  insecure_skip_verify: z
    .boolean()
    .default(false)
    .describe('Accept any server certificate. For tests only: it removes the protection TLS gives.'),
  server_name_override: z
    .string()
    .optional()
    .describe('Name sent in SNI and checked against the server certificate instead of the endpoint host.'),
};

interface TlsFileOptions {
  ca_file?: string | undefined;
  cert_file?: string | undefined;
  key_file?: string | undefined;
}

/** Zod check: a client certificate and its key come together. */
export function requireCertWithKey(tls: TlsFileOptions, ctx: z.RefinementCtx): void {
  if (Boolean(tls.cert_file) !== Boolean(tls.key_file)) {
    ctx.addIssue({ code: 'custom', message: 'cert_file and key_file must be set together (mutual TLS)' });
  }
}

export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Reads the PEM files. Errors name the option and path, never the content. */
export async function loadTlsFiles(tls: TlsFileOptions): Promise<TlsMaterial> {
  const read = async (option: string, path: string | undefined) => {
    if (!path) return undefined;
    try {
      return await readFile(path);
    } catch (err) {
      throw new Error(
        `tls.${option}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  };
  const out: TlsMaterial = {};
  const ca = await read('ca_file', tls.ca_file);
  const cert = await read('cert_file', tls.cert_file);
  const key = await read('key_file', tls.key_file);
  if (ca) out.ca = ca;
  if (cert) out.cert = cert;
  if (key) out.key = key;
  return out;
}
