// The `service` section: pipelines, state directory, the worker pool and the agent's own telemetry.
import { duration, options, z } from '../kit/config/schema.ts';

const pipeline = options({
  receivers: z.array(z.string()).min(1).describe('Receiver ids feeding this pipeline.'),
  processors: z
    .array(z.string())
    .default([])
    .describe('Processor ids, run in this order in the worker threads.'),
  exporters: z.array(z.string()).min(1).describe('Exporter ids; every batch goes to each of them (fan-out).'),
});

export const serviceSchema = options({
  data_dir: z
    .string()
    .default('/var/lib/meshtail')
    .describe('Where all state lives: checkpoints, persistent queues, detector snapshots.'),
  pipelines: z
    .record(z.string(), pipeline)
    .describe('Pipelines by id: `logs`, `traces`, `metrics`, or `<signal>/<name>`.'),
  workers: options({
    threads: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "Worker threads. Default: one fewer than the container's CPU limit (cgroup, else the available cores), at least 1: the main thread reads, compresses and sends.",
      ),
    max_inflight_batches: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        'Batches in the pool or waiting for exporters, per pipeline. Default: 4 per thread. Receivers pause at the limit.',
      ),
    max_attempts: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe(
        'Attempts for a batch whose processors throw or whose worker dies. After that, in a pipeline with a guarding processor (rbac, redact, encrypt, guarding_processors) the batch is held sealed in data_dir/quarantine and replayed at the next start; elsewhere its records go on unprocessed, marked with meshtail.processor.error.',
      ),
    task_timeout: duration('30s').describe(
      'Time budget of one batch in the pool (from submission). Past it the worker is terminated and the batch fails: held if the pipeline guards, else sent once more with processors bypassed.',
    ),
    guarding_processors: z
      .array(z.string())
      .default([])
      .describe(
        'Processor ids that guard data besides rbac, redact and encrypt: if one cannot run on a batch, the batch is held, never sent without it.',
      ),
  })
    .prefault({})
    .describe('The worker-thread pool that runs processors and encoders.'),
  reload: options({
    watch: z
      .boolean()
      .default(false)
      .describe(
        'Reload when the config file changes (inotify on its directory, so a ConfigMap update counts), as SIGHUP does.',
      ),
  })
    .prefault({})
    .describe(
      'Reloading the config in place (SIGHUP, or a watched file): see docs/operations.md. service.data_dir and service.telemetry need a restart.',
    ),
  shutdown_timeout: duration('30s').describe(
    'On SIGTERM/SIGINT: how long to drain in-flight batches and flush exporters before exiting.',
  ),
  telemetry: options({
    metrics: options({
      address: z
        .string()
        .nullable()
        .default('127.0.0.1:8888')
        .describe(
          'host:port for /metrics (Prometheus text), /healthz and /readyz; null turns the server off.',
        ),
    })
      .prefault({})
      .describe("The agent's own metrics and health endpoints."),
    health: options({
      exporter_failure_threshold: duration('30s').describe(
        '/readyz answers 503 once an exporter has retried without delivering anything for this long.',
      ),
      event_loop_stall_threshold: duration('10s').describe(
        '/healthz answers 503 when the main thread stalled this long within the last such period.',
      ),
    })
      .prefault({})
      .describe('What /healthz and /readyz report.'),
    logs: options({
      level: z
        .enum(['debug', 'info', 'warn', 'error'])
        .default('info')
        .describe("The agent's own log level (JSON lines on stderr)."),
    })
      .prefault({})
      .describe("The agent's own logs."),
    traces: options({
      endpoint: z.string().describe("OTLP/gRPC endpoint for the agent's own traces (off unless set)."),
      insecure: z.boolean().default(true).describe('Plaintext gRPC.'),
    })
      .optional()
      .describe("The agent's own traces through the OpenTelemetry SDK; off by default."),
  })
    .prefault({})
    .describe("The agent's own telemetry."),
});

export type ServiceConfig = z.output<typeof serviceSchema>;
export type PipelineConfig = ServiceConfig['pipelines'][string];
