// Runs the redact worker on hand-made records and returns what it made of them.

import type { Attributes, AttributeValue, LogRecord } from '../../../../agent/kit/record/record.ts';
import { redactConfig } from '../../../../processors/redact/config.ts';
import { createProcessor } from '../../../../processors/redact/worker.ts';
import { type TestContext, testContext } from '../../../support/processor-context.ts';

export interface Redacted {
  body: AttributeValue;
  attributes: Attributes;
  ctx: TestContext;
}

export function redactRecord(
  body: AttributeValue,
  attributes: Attributes = {},
  config: unknown = {},
): Redacted {
  const ctx = testContext('redact');
  const record: LogRecord = {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body,
    attributes: { ...attributes },
  };
  createProcessor(
    redactConfig.parse(config ?? {}),
    ctx,
  )({ resource: {}, scope: { name: 't' }, records: [record] });
  return { body: record.body, attributes: record.attributes, ctx };
}

/** The body of a line after `redact: {}` (or `config`). */
export const scrub = (line: string, config: unknown = {}): string =>
  redactRecord(line, {}, config).body as string;
