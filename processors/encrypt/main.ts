// The processor's main-thread part: loads the keyring, publishes it to the workers, and watches the
// directory so a rotation (a new key file and a new `active`) is picked up without a restart. It
// polls a cheap stat signature every poll_interval; fs.watch events only wake it sooner (Secret
// volumes swap a `..data` symlink, which some file systems report late or not at all). Logs name
// key ids and files, never key material.
import { type FSWatcher, watch } from 'node:fs';
import type { Component, ComponentSettings } from '../../agent/kit/component.ts';
import {
  type Keyring,
  keyringSignature,
  keyringState,
  loadKeyring,
} from '../../agent/kit/keyring/keyring.ts';
import type { SharedStateWriter } from '../../agent/kit/worker/shared-state.ts';
import type { EncryptConfig } from './config.ts';

/** How long a burst of file events is left to settle before the keyring is read. */
const SETTLE_MS = 100;

export class KeyringMain implements Component {
  readonly #settings: ComponentSettings;
  readonly #dir: string;
  readonly #interval: number;
  readonly #state: SharedStateWriter;
  readonly #warned = new Set<string>();
  #signature = '';
  /** What was last logged as loaded: the active key and the active recipients. */
  #active: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;
  #watcher: FSWatcher | undefined;

  constructor(settings: ComponentSettings, config: EncryptConfig, state: SharedStateWriter) {
    this.#settings = settings;
    this.#dir = config.keyring;
    this.#interval = Math.max(10, config.poll_interval);
    this.#state = state;
  }

  /** Fails when the keyring has no usable active key: the agent does not start without one. */
  async start(): Promise<void> {
    if (this.#timer) return;
    const failure = this.#reload();
    if (failure) throw new Error(`${this.#settings.id}: ${failure}`);
    this.#timer = setInterval(() => this.#check(), this.#interval);
    this.#timer.unref();
    try {
      this.#watcher = watch(this.#dir, () => this.#wake());
      this.#watcher.on('error', () => this.#watcher?.close());
    } catch {
      // Polling alone is enough.
    }
  }

  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    clearTimeout(this.#soon);
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  #wake(): void {
    if (this.#soon || !this.#timer) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      this.#check();
    }, SETTLE_MS);
    this.#soon.unref();
  }

  #check(): void {
    if (keyringSignature(this.#dir) === this.#signature) return;
    const failure = this.#reload();
    if (failure)
      this.#settings.logger.error(
        { keyring: this.#dir },
        `encrypt: ${failure}; keeping the keys loaded before`,
      );
  }

  /** Loads and publishes the keyring; returns why not, leaving the published keys as they were. */
  #reload(): string | undefined {
    const signature = keyringSignature(this.#dir);
    const loaded = loadKeyring(this.#dir);
    if (!loaded.ok) return loaded.reason;
    this.#report(loaded.keyring);
    const made = keyringState(loaded.keyring);
    if (!made.ok) return made.reason;
    this.#state.publish(made.state);
    this.#signature = signature;
    const kids = Object.keys(made.state.keys);
    // Per-tenant keyrings: which kid seals each tenant (public keys only; no key material logged).
    const recipients = made.state.recipients
      ? Object.fromEntries(Object.entries(made.state.recipients).map(([t, r]) => [t, r.kid]))
      : undefined;
    const summary = JSON.stringify([made.state.active, recipients]);
    if (summary !== this.#active)
      this.#settings.logger.info(
        { keyring: this.#dir, active: made.state.active, kids, ...(recipients && { recipients }) },
        recipients ? 'encrypt: per-tenant keyring loaded' : 'encrypt: keyring loaded',
      );
    this.#active = summary;
    return undefined;
  }

  #report(k: Keyring): void {
    const log = this.#settings.logger;
    for (const problem of k.problems)
      this.#once(`p:${problem}`, () => log.warn({ keyring: k.dir }, `encrypt: key file skipped: ${problem}`));
  }

  #once(key: string, say: () => void): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    say();
  }
}
