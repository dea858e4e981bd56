// readAddress is hostOf and portOf in one scan: for every shape of address Envoy prints, and for the
// malformed ones a client can send in a header, it must answer exactly what the two answer apart.
import { describe, expect, it } from 'vitest';
import { type Address, hostOf, portOf, readAddress } from '../../../../processors/mesh_parse/address.ts';

const PARTS = [
  '',
  '10.0.0.1',
  '[2001:db8::1]',
  '2001:db8::1',
  '[',
  ']',
  ':',
  '::',
  '://',
  '@',
  '/',
  'a',
  'x.y',
];
const TAILS = [
  '',
  ':8080',
  ':0',
  ':65535',
  ':65536',
  ':00080',
  ':099999',
  ':123456',
  ':-1',
  ':1.5',
  ':',
  ': 80',
  ':0x10',
  ':1e3',
  '/',
  ':80:90',
];

describe('readAddress', () => {
  it('answers hostOf and portOf for every combination of address parts', () => {
    const inputs = new Set<string>();
    for (const a of PARTS) for (const b of TAILS) for (const c of ['', ...PARTS]) inputs.add(a + b + c);
    for (const s of [
      'envoy://internal_client_address/',
      '@/run/sock',
      '/tmp/sock:1',
      'http://h:80',
      'h://x:1',
    ])
      inputs.add(s);
    const out: Address = { host: 'stale', port: -1 };
    let ported = 0;
    for (const s of inputs) {
      readAddress(s, out);
      expect({ s, host: out.host, port: out.port }).toEqual({ s, host: hostOf(s), port: portOf(s) });
      if (out.port !== undefined) ported++;
    }
    expect(inputs.size).toBeGreaterThan(1500);
    expect(ported).toBeGreaterThan(50);
  });
});
