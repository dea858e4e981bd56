// biome-ignore-all lint/suspicious/noTemplateCurlyInString: config text with ${env:...} references.
// Each broken config in test/fixtures/config/invalid/ and the exact lines `meshtail validate` prints.
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../agent/config/load-config.ts';
import { formatConfigError } from '../../../../agent/kit/config/config-error.ts';
import { fakeRegistry } from './fake-registry.ts';

const dir = fileURLToPath(new URL('../../../fixtures/config/invalid/', import.meta.url));
// substitution.yaml reads SECRET_TOKEN; its value must never reach a message.
const env = { SECRET_TOKEN: 'hunter2' };

const cases: Record<string, string[]> = {
  'guarding-unknown.yaml': [
    'guarding-unknown.yaml:9:38: service.workers.guarding_processors names "fake_porc", which is not a defined processor',
  ],
  'unknown-alias.yaml': [
    'unknown-alias.yaml:5:14: unknown alias "*log_globs"; define it with &log_globs before using it',
  ],
  'duplicate-key.yaml': [
    'duplicate-key.yaml:4:5: duplicate key "start_at"; a key may appear only once in a map',
    'duplicate-key.yaml:5:5: unknown option "poll" for fake_rx; expected one of: include, start_at, poll_interval, max_batch, fingerprint_size, attributes, multiline',
    'duplicate-key.yaml:8:3: duplicate key "fake_all"; a key may appear only once in a map',
  ],
  'unknown-top-level.yaml': [
    'unknown-top-level.yaml:1:1: unknown top-level key "extensions"; expected one of: receivers, processors, exporters, service',
    'unknown-top-level.yaml:10:1: unknown top-level key "pipelines"; expected one of: receivers, processors, exporters, service',
  ],
  'unknown-option.yaml': [
    'unknown-option.yaml:3:5: unknown option "includ" for fake_rx/istio; expected one of: include, start_at, poll_interval, max_batch, fingerprint_size, attributes, multiline',
    'unknown-option.yaml:9:7: unknown option "tls.insecur" for fake_all; expected one of: insecure, ca_file',
    'unknown-option.yaml:14:5: unknown option "telemetry.metric" for service; expected one of: metrics, health, logs, traces',
  ],
  'wrong-types.yaml': [
    'wrong-types.yaml:3:14: invalid option "include" for fake_rx: expected list of string (got "/var/log/app.log")',
    'wrong-types.yaml:4:15: invalid option "start_at" for fake_rx: expected one of: beginning, end (got "middle")',
    'wrong-types.yaml:5:23: invalid option "fingerprint_size" for fake_rx: expected integer (got "big")',
    'wrong-types.yaml:6:17: invalid option "attributes" for fake_rx: expected map of string (got a list)',
    'wrong-types.yaml:9:15: invalid option "endpoint" for fake_all: expected string (got 4317)',
    'wrong-types.yaml:10:22: invalid option "tls.insecure" for fake_all: expected boolean (got "yes")',
    'wrong-types.yaml:12:23: invalid option "workers.threads" for service: expected a number > 0 (got 0)',
  ],
  'bad-units.yaml': [
    'bad-units.yaml:3:20: invalid option "poll_interval" for fake_rx: expected a duration like "200ms", "5s" or "1h" (got "fast")',
    'bad-units.yaml:4:16: invalid option "max_batch" for fake_rx: expected a size like "256KiB" or "1MiB" (got "12 parsecs")',
    'bad-units.yaml:8:14: invalid option "timeout" for fake_all: expected duration (got true)',
    'bad-units.yaml:9:34: invalid option "sending_queue.queue_size" for fake_all: expected a number >= 0 (got -1)',
    'bad-units.yaml:11:21: invalid option "shutdown_timeout" for service: expected a duration like "200ms", "5s" or "1h" (got "30 seconds")',
  ],
  'unknown-type.yaml': [
    'unknown-type.yaml:2:3: unknown receiver type "filelog" in "filelog/istio"; expected one of: fake_rx',
    'unknown-type.yaml:3:3: invalid receiver id "fake_rx/"; expected "type" or "type/name", e.g. "filelog/istio"',
    'unknown-type.yaml:6:3: unknown processor type "batch" in "batch"; expected one of: fake_proc',
    'unknown-type.yaml:8:3: unknown exporter type "otlp_grpc" in "otlp_grpc"; expected one of: fake_all, fake_logs_only',
  ],
  'undefined-reference.yaml': [
    'undefined-reference.yaml:9:20: pipeline "logs" uses undefined processor "fake_proc/mask"; no processors are defined',
    'undefined-reference.yaml:10:29: pipeline "logs" uses undefined exporter "fake_all/backup"; defined exporters: fake_all',
  ],
  'unused-component.yaml': [
    'unused-component.yaml:3:3: receiver "fake_rx/orphan" feeds no pipeline; add it to a pipeline\'s receivers or remove it',
    'unused-component.yaml:5:3: processor "fake_proc" is used in no pipeline; add it to a pipeline\'s processors or remove it',
    'unused-component.yaml:8:3: exporter "fake_logs_only" is used in no pipeline; add it to a pipeline\'s exporters or remove it',
  ],
  'signal-mismatch.yaml': [
    'signal-mismatch.yaml:10:19: receiver "fake_rx" does not support traces (pipeline "traces/tempo"); it supports: logs',
    'signal-mismatch.yaml:11:29: exporter "fake_logs_only" does not support traces (pipeline "traces/tempo"); it supports: logs',
  ],
  'bad-pipeline-id.yaml': [
    'bad-pipeline-id.yaml:7:5: invalid pipeline id "log"; expected logs, traces, metrics or <signal>/<name>',
    'bad-pipeline-id.yaml:8:5: invalid pipeline id "events/audit"; expected logs, traces, metrics or <signal>/<name>',
    'bad-pipeline-id.yaml:9:5: invalid pipeline id "logs/"; expected logs, traces, metrics or <signal>/<name>',
  ],
  'empty-pipeline.yaml': [
    'empty-pipeline.yaml:7:5: pipeline "logs" has no receivers; expected at least one receiver id',
    'empty-pipeline.yaml:10:28: receiver "fake_rx" is listed twice in pipeline "logs/audit"',
    'empty-pipeline.yaml:11:7: pipeline "logs/audit" has no exporters; expected at least one exporter id',
  ],
  'missing-required.yaml': [
    'missing-required.yaml:3:5: missing required option "multiline.line_start_pattern" for fake_rx; expected string',
    'missing-required.yaml:5:3: missing required option "endpoint" for fake_all; expected string',
    'missing-required.yaml:8:9: missing required option "routes[0].tenant" for fake_all; expected string',
    'missing-required.yaml:9:3: missing required option "path" for fake_logs_only; expected string',
  ],
  'no-service.yaml': ['no-service.yaml:1:1: missing required section "service"; it defines the pipelines'],
  'substitution.yaml': [
    'substitution.yaml:4:23: invalid option "fingerprint_size" for fake_rx: expected integer',
    'substitution.yaml:5:20: invalid option "poll_interval" for fake_rx: expected duration',
    'substitution.yaml:6:15: environment variable LOG_DIR is not set (write ${env:LOG_DIR:-default} to give a default)',
    'substitution.yaml:9:15: unsupported substitution "${HOST}"; write ${env:HOST} for an environment variable',
    'substitution.yaml:10:15: cannot read file "no-such-secret.txt" for ${file:...} substitution (ENOENT)',
    'substitution.yaml:12:17: invalid option "tls.insecure" for fake_all: expected boolean',
    'substitution.yaml:14:16: unterminated "${" in substitution; expected ${env:VAR}, ${env:VAR:-default}, ${file:PATH}, or $$ for a literal $',
  ],
};

describe('invalid configs', () => {
  it.each(Object.entries(cases))('%s', (name, expected) => {
    const result = loadConfig(`${dir}${name}`, fakeRegistry, { env });
    expect(result.ok).toBe(false);
    const lines = result.ok
      ? []
      : result.errors.map((e) => formatConfigError({ ...e, file: basename(e.file) }));
    expect(lines).toEqual(expected);
    expect(lines.join('\n')).not.toContain(env.SECRET_TOKEN);
  });
});
