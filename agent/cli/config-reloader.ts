// Reloads `meshtail run`'s config in place, on SIGHUP or when the watched file changes: the file
// is loaded and checked as `run` checks it at start; an invalid one is logged and counted and the
// running pipelines go on; a valid one is applied by Agent.reload. Reloads run one at a time; a
// request during a reload runs once after it.
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import type { Agent } from '../agent.ts';
import { loadNamedInFile } from '../components.ts';
import { loadConfig } from '../config/load-config.ts';
import { formatConfigError } from '../kit/config/config-error.ts';
import type { Registry } from '../registry.ts';
import type { CounterHandle } from '../telemetry/self-metrics.ts';

// A ConfigMap update is several events (a new ..data symlink, renames): one reload after they settle.
const WATCH_SETTLE_MS = 300;

export class ConfigReloader {
  readonly #file: string;
  readonly #agent: Agent;
  readonly #registry: Registry;
  readonly #logger: Logger;
  readonly #reloads: CounterHandle;
  #running: Promise<void> | undefined;
  #again = false;
  #watcher: FSWatcher | undefined;
  #settle: NodeJS.Timeout | undefined;

  constructor(file: string, agent: Agent, registry: Registry, logger: Logger) {
    this.#file = file;
    this.#agent = agent;
    this.#registry = registry;
    this.#logger = logger;
    this.#reloads = agent.metrics.counter(
      'meshtail_config_reloads_total',
      'Config reloads (SIGHUP or a watched file), by result: success, or failure (the old config runs on).',
      ['result'],
    );
  }

  /** Watches the file's directory (a ConfigMap swaps a symlink there) and reloads on a change. */
  watch(): void {
    const name = basename(this.#file);
    try {
      this.#watcher = watch(dirname(this.#file), (_event, changed) => {
        if (changed !== null && changed !== name && changed !== '..data') return;
        clearTimeout(this.#settle);
        this.#settle = setTimeout(() => void this.reload('file change'), WATCH_SETTLE_MS);
      });
      this.#watcher.on('error', (err) => this.#logger.warn({ err: String(err) }, 'config watch failed'));
    } catch (err) {
      this.#logger.warn({ err: String(err) }, 'cannot watch the config file; SIGHUP still reloads');
    }
  }

  /** Stops watching; settles when a reload under way is done. */
  async stop(): Promise<void> {
    clearTimeout(this.#settle);
    this.#watcher?.close();
    this.#again = false;
    await this.#running;
  }

  /** Settles when this request's reload is done (whatever its result). */
  reload(cause: string): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        await this.#reloadOnce(cause);
      } while (this.#again);
    })().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #reloadOnce(cause: string): Promise<void> {
    this.#logger.info({ cause, file: this.#file }, 'reloading the config');
    // A new config may name components this agent has not loaded yet.
    const text = await loadNamedInFile(this.#registry, this.#file);
    const loaded = loadConfig(this.#file, this.#registry, { checkFiles: true, text });
    if (!loaded.ok) {
      this.#fail(loaded.errors.map(formatConfigError));
      return;
    }
    const before = this.#agent.config.service;
    const after = loaded.config.service;
    if (after.data_dir !== before.data_dir) {
      // Components built on a new data_dir would start without their checkpoints: lines again.
      this.#fail([`service.data_dir changed (${before.data_dir} -> ${after.data_dir}): restart to apply it`]);
      return;
    }
    if (JSON.stringify(after.telemetry) !== JSON.stringify(before.telemetry))
      this.#logger.warn('service.telemetry changed: it applies at the next restart');
    try {
      await this.#agent.reload(loaded.config);
      this.#reloads.inc({ result: 'success' });
    } catch (err) {
      this.#fail([String(err)]);
    }
  }

  #fail(errors: string[]): void {
    this.#reloads.inc({ result: 'failure' });
    this.#logger.error({ errors }, 'config reload failed: the running config stays');
  }
}
