// Runs the encrypt worker on records in-process, with a keyring state as the main part publishes it.

import type { LogRecordJson } from '../../../../agent/cli/record-opener.ts';
import { anyValueJson } from '../../../../agent/kit/keyring/any-value.ts';
import type { KeyringState } from '../../../../agent/kit/keyring/keyring.ts';
import type {
  Attributes,
  AttributeValue,
  LogRecord,
  ResourceLogs,
} from '../../../../agent/kit/record/record.ts';
import type { SharedStateReader } from '../../../../agent/kit/worker/shared-state.ts';
import { encryptConfig } from '../../../../processors/encrypt/config.ts';
import { createProcessor } from '../../../../processors/encrypt/worker.ts';

type StateSource = KeyringState | undefined | (() => KeyringState | undefined);

export function encryptor(state: StateSource, options: Record<string, unknown> = {}) {
  const counts = new Map<string, number>();
  const current = typeof state === 'function' ? state : () => state;
  const reader = { current } as unknown as SharedStateReader<unknown>;
  const process = createProcessor(encryptConfig.parse(options), {
    id: 'encrypt',
    state: reader,
    count: (event: string, n = 1) => counts.set(event, (counts.get(event) ?? 0) + n),
    emit: () => {},
  });
  return {
    counts,
    run(records: LogRecord[]): ResourceLogs {
      const batch = { resource: { 'service.name': 'test' }, scope: { name: 'meshtail' }, records };
      process(batch);
      return batch;
    },
  };
}

export function record(attributes: Attributes, body: AttributeValue = 'the original line'): LogRecord {
  return {
    timeUnixNano: 1n,
    observedTimeUnixNano: 2n,
    severityNumber: 9,
    severityText: 'INFO',
    body,
    attributes,
  };
}

/** The record as the file exporter writes it (attributes and body in OTLP/JSON), for openRecord. */
export function jsonRecord(r: LogRecord): LogRecordJson {
  return {
    timeUnixNano: String(r.timeUnixNano),
    attributes: Object.entries(r.attributes).map(([key, value]) => ({ key, value: anyValueJson(value) })),
    ...(r.body === null ? {} : { body: anyValueJson(r.body) }),
  };
}

/** Attributes of an OTLP/JSON record as a key → AnyValue map, for comparisons. */
export function attributeMap(r: LogRecordJson): Record<string, unknown> {
  return Object.fromEntries((r.attributes ?? []).map((kv) => [kv.key, kv.value]));
}
