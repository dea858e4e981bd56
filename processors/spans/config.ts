// The spans processor's options: the schema validates them and generates the docs.
import { options, z } from '../../agent/kit/config/schema.ts';

export const spansConfig = options({
  sampling_ratio: z
    .number()
    .min(0)
    .max(1)
    .default(1)
    .describe(
      'Share of traces kept, decided on the trace id (W3C random bits) so every hop of a trace is kept or dropped together.',
    ),
  directions: z
    .array(z.enum(['inbound', 'outbound']))
    .default(['inbound', 'outbound'])
    .describe('Which access records become spans: inbound (server spans), outbound (client spans).'),
  routes: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'Path templates (`/reviews/{id}`, `/api/*`) tried in order; the first match is the span name ' +
        '`GET /reviews/{id}` and `http.route`. Without a match the name is the method alone (low cardinality).',
    ),
});

export type SpansConfig = z.output<typeof spansConfig>;
