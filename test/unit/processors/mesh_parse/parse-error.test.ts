// meshtail.parse.error says why a line was not understood without quoting it: lines carry tokens,
// and V8's JSON.parse messages quote their input. Every failing shape below hides a secret; the
// reason must hold none of it.
import { expect, it } from 'vitest';
import { rawRecord } from '../../../../agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '../../../../processors/mesh_parse/config.ts';
import { createProcessor } from '../../../../processors/mesh_parse/worker.ts';

const SECRET = 'Bearer eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.sig-QWERTY';

const LINES = [
  `{"authorization": "${SECRET}"`,
  `{"authorization": ${SECRET}}`,
  `${SECRET}{}`,
  `{${SECRET}: 1}`,
  `{"a": "x"} ${SECRET}`,
  `{"a": "\\q${SECRET}"}`,
  `{"a": 1e${SECRET}}`,
  `[${SECRET}`,
  `[2024-05-05T05:05:05.123Z] "GET /?token=${SECRET}`,
  `${SECRET}`,
  `2024-05-05T05:05:05.123456Z\tnot-a-level\t${SECRET}`,
];

it.each(LINES)('gives a reason without line content: %s', (line) => {
  const p = createProcessor(meshParseConfig.parse({}));
  const r = rawRecord(line, 1n);
  p({ resource: {}, scope: { name: 'test' }, records: [r] });
  const reason = r.attributes['meshtail.parse.error'];
  expect(typeof reason).toBe('string');
  // No 4-character piece of the secret survives in the reason.
  for (let i = 0; i + 4 <= SECRET.length; i++)
    expect(reason, SECRET.slice(i, i + 4)).not.toContain(SECRET.slice(i, i + 4));
  expect(r.body).toBe(line);
});
