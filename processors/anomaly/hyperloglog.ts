// HyperLogLog distinct counts (Flajolet et al. 2007) with linear counting for small ranges. The
// registers are a plain Uint8Array so an aggregate crosses threads by structured clone, and two
// sketches merge by taking the register-wise max. Standard error 1.04/sqrt(m): 6.5% at p = 8.
import { hash32 } from './hash.ts';

export const HLL_PRECISION = 8;

export function hllCreate(p = HLL_PRECISION): Uint8Array {
  return new Uint8Array(1 << p);
}

export function hllAdd(registers: Uint8Array, value: string): void {
  const p = 31 - Math.clz32(registers.length); // log2 of a power of two, without a float call per value
  const h = hash32(value);
  const index = h >>> (32 - p);
  const rest = (h << p) >>> 0;
  const rank = rest === 0 ? 32 - p + 1 : Math.clz32(rest) + 1;
  if (rank > (registers[index] ?? 0)) registers[index] = rank;
}

/** Register-wise max into `into`; both sketches must have the same precision. */
export function hllMerge(into: Uint8Array, from: Uint8Array): void {
  for (let i = 0; i < into.length; i++) {
    const r = from[i] ?? 0;
    if (r > (into[i] ?? 0)) into[i] = r;
  }
}

export function hllEstimate(registers: Uint8Array): number {
  const m = registers.length;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const r = registers[i] ?? 0;
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const alpha = 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  if (raw <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
  return raw;
}
