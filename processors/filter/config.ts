// The filter processor's options: the schema validates them and generates the docs.
import { options, z } from '../../agent/kit/config/schema.ts';

const condition = options({
  attribute: z.string().min(1).describe('The record attribute to test (resource attributes are not tested).'),
  exists: z.boolean().optional().describe('Matches when the attribute is present (true) or absent (false).'),
  equals: z
    .union([z.string(), z.number(), z.boolean()])
    .optional()
    .describe('Matches when the attribute equals this value.'),
});

export const filterConfig = options({
  keep_when: z
    .array(condition)
    .default([])
    .describe('Keep only records matching any of these conditions (empty: keep all).'),
  drop_when: z
    .array(condition)
    .default([])
    .describe(
      'Then drop records matching any of these conditions. Dropped records are counted (event `dropped`).',
    ),
});

export type FilterConfig = z.output<typeof filterConfig>;
export type FilterCondition = FilterConfig['keep_when'][number];
