// `meshtail run -c FILE`: load and validate the config, start the agent and its admin server, and on
// SIGTERM/SIGINT stop reading, drain, flush and exit 0 within service.shutdown_timeout.
import type { Logger } from 'pino';
import { Agent } from '../agent.ts';
import { defaultRegistry } from '../components.ts';
import { loadConfig } from '../config/load-config.ts';
import type { AgentConfig } from '../config/types.ts';
import { formatConfigError } from '../kit/config/config-error.ts';
import { AdminServer } from '../telemetry/admin-server.ts';
import { createLogger } from '../telemetry/logger.ts';
import { startSelfTraces } from '../telemetry/self-traces.ts';

export interface Running {
  agent: Agent;
  adminAddress?: string;
  stop(): Promise<boolean>;
}

export async function runCommand(file: string): Promise<number> {
  const loaded = loadConfig(file, defaultRegistry);
  if (!loaded.ok) {
    for (const e of loaded.errors) process.stderr.write(`${formatConfigError(e)}\n`);
    return 2;
  }
  const logger = createLogger(loaded.config.service.telemetry.logs.level);
  const running = await startAgent(loaded.config, logger);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      logger.info({ signal }, 'shutting down: draining in-flight batches');
      resolve();
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  const drained = await running.stop();
  logger.info({ drained }, 'meshtail stopped');
  return 0;
}

/** Starts an agent with its admin server and self-traces; used by `run` and by `demo`. */
export async function startAgent(config: AgentConfig, logger: Logger): Promise<Running> {
  const stopTraces = await startSelfTraces(config.service.telemetry.traces);
  const agent = new Agent(config, defaultRegistry, { logger });
  const address = config.service.telemetry.metrics.address;
  const admin = address
    ? new AdminServer({ metrics: agent.metrics, ready: () => agent.ready, sample: () => agent.pool.sample() })
    : undefined;
  const adminAddress = admin && address ? await admin.listen(address) : undefined;
  if (adminAddress) logger.info({ address: adminAddress }, 'admin server: /metrics /healthz /readyz');
  await agent.start();
  return {
    agent,
    adminAddress,
    async stop() {
      const drained = await agent.shutdown();
      await admin?.close();
      await stopTraces();
      return drained;
    },
  };
}
