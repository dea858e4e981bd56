// The keyring: a directory holding one `<kid>.key` file per data key (32 random bytes, base64) and
// an `active` file naming the key that encrypts; the others stay for decryption. In per-tenant mode
// it also holds `<kid>.pub` recipient keys (recipient-files.ts): `active` then names one recipient
// per tenant, one line each, and the `.key` that keys pseudonyms. It is meant to be a mounted
// Kubernetes Secret, whose projected files are symlinks into `..data/` (names starting with `.` are
// skipped). Messages name files and key ids, never key material.
import { readdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { PUB_SUFFIX, parseRecipient, type Recipient } from './recipient-files.ts';

export const KEY_BYTES = 32;
export const KEY_SUFFIX = '.key';
export const ACTIVE_FILE = 'active';
/** A kid is a Secret key name minus `.key`, and never contains `:` (the envelope's separator). */
export const KID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** What the main-thread part publishes to the workers (JSON: keys in base64). */
export interface KeyringState {
  active: string;
  keys: Record<string, string>;
  /** Per-tenant mode: the active recipients, tenant → kid and public key (base64). */
  recipients?: Record<string, { kid: string; key: string }>;
}

export interface KeyInfo {
  kid: string;
  file: string;
  /** The key file's modification time: when it was written or projected. */
  created: Date;
  /** Permission bits (mode & 0o777); group or world bits should be 0. */
  mode: number;
}

export interface Keyring {
  dir: string;
  /** The active symmetric key (per-tenant mode: the pseudonym key); undefined when none is named. */
  active: string | undefined;
  keys: Map<string, Buffer>;
  /** `<kid>.pub` recipients: a keyring with any is in per-tenant mode. */
  recipients: Map<string, Recipient>;
  /** Per-tenant mode: the active recipient kid of each tenant ('' the default recipient). */
  activeRecipients: Map<string, string>;
  info: KeyInfo[];
  /** Files skipped and why (a bad kid, not 32 bytes of base64, unreadable). */
  problems: string[];
}

export type KeyringLoad = { ok: true; keyring: Keyring } | { ok: false; reason: string };

/** Reads every key of `dir`. A bad key file is skipped and reported; a missing directory fails. */
export function loadKeyring(dir: string): KeyringLoad {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    return { ok: false, reason: `cannot read the keyring directory ${dir}: ${code(err)}` };
  }
  const keys = new Map<string, Buffer>();
  const info: KeyInfo[] = [];
  const problems: string[] = [];
  const recipients = new Map<string, Recipient>();
  for (const name of names) {
    if (name.startsWith('.') || !name.endsWith(PUB_SUFFIX)) continue;
    const kid = name.slice(0, -PUB_SUFFIX.length);
    try {
      const r = KID_PATTERN.test(kid) ? parseRecipient(readFileSync(join(dir, name), 'utf8')) : undefined;
      if (r) recipients.set(kid, r);
      else problems.push(`${name}: expected a kid and {"tenant":…,"x25519":<32 bytes in base64>}`);
    } catch (err) {
      problems.push(`${name}: ${code(err)}`);
    }
  }
  for (const name of names) {
    if (name.startsWith('.') || !name.endsWith(KEY_SUFFIX)) continue;
    const kid = name.slice(0, -KEY_SUFFIX.length);
    const file = join(dir, name);
    if (!KID_PATTERN.test(kid)) {
      problems.push(`${name}: a key id is 1-64 letters, digits, '-' or '_'`);
      continue;
    }
    try {
      const st = statSync(file);
      // A key others can read is a key others hold: refused, not just reported.
      if (keyFileExposed(st)) {
        problems.push(
          `${name}: readable by group or others (mode 0${(st.mode & 0o777).toString(8)}, group ${st.gid}); refused, make it 0400 or 0600, or 0440 in the agent's own group`,
        );
        continue;
      }
      const key = decodeKey(readFileSync(file, 'utf8'));
      if (!key) {
        problems.push(`${name}: expected ${KEY_BYTES} bytes in base64`);
        continue;
      }
      keys.set(kid, key);
      info.push({ kid, file, created: st.mtime, mode: st.mode & 0o777 });
    } catch (err) {
      problems.push(`${name}: ${code(err)}`);
    }
  }
  const activeRecipients = new Map<string, string>();
  let active: string | undefined;
  for (const kid of readActive(dir)) {
    const r = recipients.get(kid);
    if (!r) {
      if (active === undefined) active = kid;
      else problems.push(`${ACTIVE_FILE}: names '${kid}' besides the active key '${active}'; ignored`);
    } else if (activeRecipients.has(r.tenant))
      problems.push(
        `${ACTIVE_FILE}: '${kid}' is a second active recipient for tenant ${JSON.stringify(r.tenant)}; ignored`,
      );
    else activeRecipients.set(r.tenant, kid);
  }
  return { ok: true, keyring: { dir, active, keys, recipients, activeRecipients, info, problems } };
}

/** The keyring as the workers get it; fails when no usable key is active. */
export function keyringState(k: Keyring): { ok: true; state: KeyringState } | { ok: false; reason: string } {
  if (k.active === undefined) return { ok: false, reason: `${k.dir}: no '${ACTIVE_FILE}' file names a key` };
  if (!k.keys.has(k.active))
    return {
      ok: false,
      reason: `${k.dir}: the active key '${k.active}' has no usable ${k.active}${KEY_SUFFIX}`,
    };
  const keys: Record<string, string> = {};
  for (const [kid, key] of k.keys) keys[kid] = key.toString('base64');
  if (k.recipients.size === 0) return { ok: true, state: { active: k.active, keys } };
  if (k.activeRecipients.size === 0)
    return { ok: false, reason: `${k.dir}: no '${ACTIVE_FILE}' line names a recipient (<kid>${PUB_SUFFIX})` };
  // The workers need the active recipients and the pseudonym key, nothing else.
  const recipients: NonNullable<KeyringState['recipients']> = {};
  for (const [tenant, kid] of k.activeRecipients)
    recipients[tenant] = { kid, key: k.recipients.get(kid)!.key.toString('base64') };
  return { ok: true, state: { active: k.active, keys: { [k.active]: keys[k.active]! }, recipients } };
}

export function decodeKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (!BASE64.test(t)) return undefined;
  const key = Buffer.from(t, 'base64');
  return key.length === KEY_BYTES ? key : undefined;
}

/** The kids `active` names, one a line. */
function readActive(dir: string): string[] {
  try {
    return readFileSync(join(dir, ACTIVE_FILE), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  } catch {
    return [];
  }
}

/** A cheap fingerprint of the directory (names, inodes, sizes, mtimes) to notice a change. */
export function keyringSignature(dir: string): string {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    return `error:${code(err)}`;
  }
  const parts: string[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    try {
      const st = statSync(join(dir, name));
      parts.push(`${name}:${st.ino}:${st.size}:${st.mtimeMs}`);
    } catch {
      parts.push(`${name}:gone`);
    }
  }
  return parts.join('|');
}

function code(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/**
 * Whether anyone but the agent can read or change a key file. Others: never. The group: only when it
 * is the agent's own primary group and may only read, which is how a non-root pod reads a Secret
 * volume (files root:<fsGroup>, mode 0440; docs/security.md). Any other group is someone else.
 */
export function keyFileExposed(st: Pick<Stats, 'mode' | 'gid'>): boolean {
  if ((st.mode & 0o007) !== 0) return true;
  if ((st.mode & 0o070) === 0) return false;
  return (st.mode & 0o030) !== 0 || process.getegid?.() !== st.gid;
}
