import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditIdentity, serviceAccount } from '../../../../agent/cli/audit-identity.ts';

const jwt = (claims: object) =>
  ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'sig'].join('.');

describe('audit identity', () => {
  it('names the OS user, and the service account from the pod token claims', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-sa-'));
    writeFileSync(
      join(dir, 'token'),
      jwt({
        sub: 'system:serviceaccount:ops:ignored',
        'kubernetes.io': { namespace: 'ops', serviceaccount: { name: 'decryptor' } },
      }),
    );
    const id = auditIdentity(dir);
    expect(id.os_user).toBe(userInfo().username);
    expect(id.uid).toBe(process.getuid?.());
    expect(id.service_account).toBe('system:serviceaccount:ops:decryptor');
  });

  it('falls back to the sub claim, then the namespace file, and is absent outside a pod', () => {
    const sub = mkdtempSync(join(tmpdir(), 'meshtail-sa-'));
    writeFileSync(join(sub, 'token'), jwt({ sub: 'system:serviceaccount:ns1:sa1' }));
    expect(serviceAccount(sub)).toBe('system:serviceaccount:ns1:sa1');
    const ns = mkdtempSync(join(tmpdir(), 'meshtail-sa-'));
    writeFileSync(join(ns, 'token'), 'not a jwt');
    writeFileSync(join(ns, 'namespace'), 'ns2\n');
    expect(serviceAccount(ns)).toBe('system:serviceaccount:ns2:?');
    expect(auditIdentity(join(ns, 'absent')).service_account).toBeUndefined();
  });
});
