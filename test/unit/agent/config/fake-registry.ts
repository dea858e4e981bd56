// A registry of fake factories so config tests do not depend on real components: one receiver for
// logs, one processor, an exporter for logs only and one for every signal. Their schemas cover
// every option kind the loader and the docs generator must handle.
import type { AnyFactory, Component, Exporter } from '../../../../agent/kit/component.ts';
import { duration, options, size, z } from '../../../../agent/kit/config/schema.ts';
import { Registry } from '../../../../agent/registry.ts';

const idle: Component = { start: async () => {}, shutdown: async () => {} };
const sink: Exporter = { ...idle, encoding: 'json', export: async () => {} };

export const fakeRx = {
  kind: 'receiver',
  type: 'fake_rx',
  description: 'Reads fake lines.',
  signals: ['logs'],
  config: options({
    include: z.array(z.string()).default([]).describe('Globs of files to read.'),
    start_at: z.enum(['beginning', 'end']).default('end').describe('Where to start a new file.'),
    poll_interval: duration('200ms').describe('How often to poll.'),
    max_batch: size('256KiB').describe('Largest batch | in bytes.'),
    fingerprint_size: z.number().int().positive().default(1000).describe('Bytes that identify a file.'),
    attributes: z.record(z.string(), z.string()).default({}).describe('Added to every record.'),
    multiline: options({
      line_start_pattern: z.string().describe('Regex of a first line.'),
    })
      .optional()
      .describe('Joins lines into one record.'),
  }),
  create: () => idle,
} satisfies AnyFactory;

export const fakeProc = {
  kind: 'processor',
  type: 'fake_proc',
  description: 'Does nothing to records.',
  signals: ['logs', 'traces', 'metrics'],
  config: options({
    enabled: z.boolean().default(true).describe('Turns it on.'),
    ratio: z.number().min(0).max(1).default(0.5).describe('A fraction.'),
    mode: z
      .union([z.literal('fast'), z.literal('safe')])
      .default('safe')
      .describe('How hard to try.'),
  }),
  workerModule: 'file:///dev/null',
} satisfies AnyFactory;

export const fakeLogsOnly = {
  kind: 'exporter',
  type: 'fake_logs_only',
  description: 'Writes logs somewhere.',
  signals: ['logs'],
  config: options({
    path: z.string().min(1).describe('Where to write.'),
  }),
  create: () => sink,
} satisfies AnyFactory;

export const fakeAll = {
  kind: 'exporter',
  type: 'fake_all',
  description: 'Sends every signal.',
  signals: ['logs', 'traces', 'metrics'],
  config: options({
    endpoint: z.string().describe('host:port of the backend.'),
    password: z.string().optional().describe('Basic auth password.'),
    timeout: duration('5s').describe('Per request.'),
    headers: z.record(z.string(), z.string()).optional().describe('Sent with every request.'),
    proxy: z.string().nullable().default(null).describe('HTTP proxy; null for none.'),
    tls: options({
      insecure: z.boolean().default(false).describe('Plaintext.'),
      ca_file: z.string().optional().describe('CA bundle.'),
    })
      .prefault({})
      .describe('TLS settings.'),
    sending_queue: options({
      storage: z.enum(['memory', 'disk']).default('memory').describe('Where the queue lives.'),
      queue_size: size('64MiB').describe('Bytes held before refusing.'),
    })
      .prefault({})
      .describe('The export queue.'),
    routes: z
      .array(
        options({
          tenant: z.string().describe('Tenant id.'),
          endpoint: z.string().optional().describe('Override.'),
        }),
      )
      .default([])
      .describe('Per-tenant routes.'),
  }),
  create: () => sink,
} satisfies AnyFactory;

export const fakeRegistry = new Registry([fakeRx, fakeProc, fakeLogsOnly, fakeAll]);
