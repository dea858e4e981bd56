// The attributes processor's options: the schema validates them and generates the docs.
import { options, z } from '../../agent/kit/config/schema.ts';

const action = options({
  key: z.string().min(1).describe('The attribute key.'),
  action: z
    .enum(['insert', 'update', 'upsert', 'delete'])
    .describe('insert: only when absent; update: only when present; upsert: always; delete: remove.'),
  value: z
    .union([z.string(), z.number(), z.boolean()])
    .optional()
    .describe('The value for insert, update and upsert.'),
});

export const attributesConfig = options({
  actions: z.array(action).default([]).describe('Applied in order to every record.'),
});

export type AttributesConfig = z.output<typeof attributesConfig>;
