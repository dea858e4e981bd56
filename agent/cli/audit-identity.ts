// Who runs `meshtail decrypt`, for the audit log: the OS user always and, in a pod, the Kubernetes
// service account the pod runs as, read from its mounted token's claims (or the namespace file when
// the token is not readable). Nothing the caller types replaces them: `--who` is a note beside them.
// The token is not verified here: it is the pod's own mount, read for who it names, never sent.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface AuditIdentity {
  os_user: string;
  uid: number | undefined;
  /** `system:serviceaccount:<namespace>:<name>`, or `…:<namespace>:?` when only the namespace is known. */
  service_account?: string;
}

export function auditIdentity(serviceAccountDir = SERVICE_ACCOUNT_DIR): AuditIdentity {
  const id: AuditIdentity = { os_user: osUserName(), uid: process.getuid?.() };
  const sa = serviceAccount(serviceAccountDir);
  if (sa) id.service_account = sa;
  return id;
}

function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}

export function serviceAccount(dir: string): string | undefined {
  const claims = tokenClaims(readText(join(dir, 'token')));
  const k8s = claims?.['kubernetes.io'] as
    | { namespace?: unknown; serviceaccount?: { name?: unknown } }
    | undefined;
  if (typeof k8s?.namespace === 'string' && typeof k8s.serviceaccount?.name === 'string')
    return `system:serviceaccount:${k8s.namespace}:${k8s.serviceaccount.name}`;
  if (typeof claims?.sub === 'string' && claims.sub.startsWith('system:serviceaccount:')) return claims.sub;
  const namespace = readText(join(dir, 'namespace'))?.trim();
  return namespace ? `system:serviceaccount:${namespace}:?` : undefined;
}

function tokenClaims(token: string | undefined): Record<string, unknown> | undefined {
  const payload = token?.trim().split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return claims !== null && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
