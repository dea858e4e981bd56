// Runs the k8s_metadata main-thread part against a FakeKubeApi, with the worker part reading what it
// publishes through a SharedStateReader over the writer's buffer, as the pool's workers do.
import { pino } from 'pino';
import type { Component, ComponentSettings } from '../../../../agent/kit/component.ts';
import type { LogRecord, ResourceLogs } from '../../../../agent/kit/record/record.ts';
import type { ProcessLogs } from '../../../../agent/kit/worker/processor.ts';
import { SharedStateReader, SharedStateWriter } from '../../../../agent/kit/worker/shared-state.ts';
import { SelfMetrics } from '../../../../agent/telemetry/self-metrics.ts';
import { k8sMetadataFactory } from '../../../../processors/k8s_metadata/factory.ts';
import type { Snapshot } from '../../../../processors/k8s_metadata/snapshot.ts';
import { createProcessor } from '../../../../processors/k8s_metadata/worker.ts';
import { testContext, testOutput } from '../../../support/processor-context.ts';

export interface Running {
  main: Component;
  settings: ComponentSettings & { metrics: SelfMetrics };
  logLines: { level: number; msg: string }[];
  snapshot(): Snapshot | undefined;
  process: ProcessLogs;
  apiAvailable(): Promise<number>;
}

export function run(options: Record<string, unknown>): Running {
  const logLines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logLines.push(JSON.parse(line)) });
  const settings: ComponentSettings & { metrics: SelfMetrics } = {
    id: 'k8s_metadata',
    type: 'k8s_metadata',
    dataDir: '/nonexistent',
    logger,
    metrics: new SelfMetrics(),
  };
  const config = k8sMetadataFactory.config.parse(options);
  const writer = new SharedStateWriter();
  const main = k8sMetadataFactory.createMain!(settings, config, writer, testOutput());
  const reader = new SharedStateReader<Snapshot>(writer.buffer);
  const process = createProcessor(
    config,
    testContext('k8s_metadata', { state: reader as SharedStateReader<unknown> }),
  );
  return {
    main,
    settings,
    logLines,
    snapshot: () => reader.current(),
    process,
    apiAvailable: () =>
      settings.metrics.value('meshtail_processor_k8s_api_available', { processor: 'k8s_metadata' }),
  };
}

/** Polls `check` every 10ms for at most `ms`; true once it held. */
export async function until(check: () => boolean, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}

export function record(attributes: LogRecord['attributes']): LogRecord {
  return {
    timeUnixNano: 1n,
    observedTimeUnixNano: 1n,
    severityNumber: 9,
    severityText: 'INFO',
    body: 'line',
    attributes,
  };
}

/** A batch from the pod's log file: the resource the filelog receiver derives from the path. */
export function batchFrom(
  pod: { uid: string; name: string; namespace: string },
  records: LogRecord[],
): ResourceLogs {
  return {
    resource: {
      'k8s.namespace.name': pod.namespace,
      'k8s.pod.name': pod.name,
      'k8s.pod.uid': pod.uid,
      'k8s.container.name': 'istio-proxy',
    },
    scope: { name: 'meshtail' },
    records,
  };
}
