// `meshtail run -c FILE`: load and validate the config (with what the machine must provide: files,
// keyrings, addresses), start the agent and its admin server; SIGHUP (or a change of the file, with
// service.reload.watch) reloads the config in place; SIGTERM/SIGINT stop reading, drain, flush and
// exit 0 within service.shutdown_timeout.
import type { Logger } from 'pino';
import { Agent } from '../agent.ts';
import { componentRegistry, loadNamedInFile } from '../components.ts';
import { loadConfig } from '../config/load-config.ts';
import type { AgentConfig } from '../config/types.ts';
import { formatConfigError } from '../kit/config/config-error.ts';
import type { Registry } from '../registry.ts';
import { AdminServer } from '../telemetry/admin-server.ts';
import { Health } from '../telemetry/health.ts';
import { createLogger } from '../telemetry/logger.ts';
import { registerProcessMetrics } from '../telemetry/process-metrics.ts';
import { startSelfTraces } from '../telemetry/self-traces.ts';
import { ConfigReloader } from './config-reloader.ts';

export interface Running {
  agent: Agent;
  adminAddress?: string;
  stop(): Promise<boolean>;
}

export async function runCommand(file: string): Promise<number> {
  // Only the components the config names are loaded (components.ts).
  const registry = componentRegistry();
  const text = await loadNamedInFile(registry, file);
  const loaded = loadConfig(file, registry, { checkFiles: true, text });
  if (!loaded.ok) {
    for (const e of loaded.errors) process.stderr.write(`${formatConfigError(e)}\n`);
    return 2;
  }
  const logger = createLogger(loaded.config.service.telemetry.logs.level);
  // Registered before the agent starts, so a SIGHUP during start-up is not the default (exit 129).
  let reloader: ConfigReloader | undefined;
  const onHangup = () => {
    if (reloader) void reloader.reload('SIGHUP');
    else logger.warn('SIGHUP before the agent started: ignored');
  };
  process.on('SIGHUP', onHangup);
  const running = await startAgent(loaded.config, logger, registry);
  reloader = new ConfigReloader(file, running.agent, registry, logger);
  if (loaded.config.service.reload.watch) reloader.watch();
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      logger.info({ signal }, 'shutting down: draining in-flight batches');
      resolve();
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  // A reload under way finishes first: its graph is the one to drain.
  await reloader.stop();
  process.off('SIGHUP', onHangup);
  const drained = await running.stop();
  logger.info({ drained }, 'meshtail stopped');
  return 0;
}

/** Starts an agent with its admin server and self-traces; used by `run` and by `demo`. */
export async function startAgent(config: AgentConfig, logger: Logger, registry: Registry): Promise<Running> {
  const stopTraces = await startSelfTraces(config.service.telemetry.traces);
  const agent = new Agent(config, registry, { logger });
  registerProcessMetrics(agent.metrics);
  const address = config.service.telemetry.metrics.address;
  const thresholds = config.service.telemetry.health;
  const health = new Health({
    metrics: agent.metrics,
    exporters: () => agent.exporterIds,
    ready: () => agent.ready,
    live: () => agent.live,
    exporterFailureMs: thresholds.exporter_failure_threshold,
    stallMs: thresholds.event_loop_stall_threshold,
  });
  const admin = address
    ? new AdminServer({
        metrics: agent.metrics,
        readiness: () => health.readiness(),
        liveness: () => health.liveness(),
        sample: () => {
          agent.pool.sample();
          // A scrape also notices failing exporters between probes.
          void health.readiness();
        },
      })
    : undefined;
  const adminAddress = admin && address ? await admin.listen(address) : undefined;
  if (adminAddress) logger.info({ address: adminAddress }, 'admin server: /metrics /healthz /readyz');
  await agent.start();
  return {
    agent,
    adminAddress,
    async stop() {
      const drained = await agent.shutdown();
      health.stop();
      await admin?.close();
      await stopTraces();
      return drained;
    },
  };
}
