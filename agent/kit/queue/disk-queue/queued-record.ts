// One queued payload inside a segment frame, before sealing: [u8 signal][u16 tenant length]
// [tenant utf8][payload bytes]. The record count and the queue time live in the frame header
// (segment-file.ts), readable without the key for accounting and authenticated with the frame.
import type { Payload } from '../../component.ts';
import type { Signal } from '../../record/signal.ts';

const SIGNAL_CODES: readonly Signal[] = ['logs', 'traces', 'metrics'];
const FIXED = 1 + 2;

export function encodeRecord(payload: Payload): Buffer {
  const tenant = Buffer.from(payload.tenant ?? '', 'utf8');
  if (tenant.length > 0xffff) throw new Error('tenant name longer than 65535 bytes');
  const out = Buffer.allocUnsafe(FIXED + tenant.length + payload.bytes.length);
  out.writeUInt8(SIGNAL_CODES.indexOf(payload.signal), 0);
  out.writeUInt16BE(tenant.length, 1);
  tenant.copy(out, FIXED);
  out.set(payload.bytes, FIXED + tenant.length);
  return out;
}

/** Undefined when the bytes are not a record (a frame that authenticated cannot be, barring a bug). */
export function decodeRecord(buf: Buffer, records: number): Payload | undefined {
  if (buf.length < FIXED) return undefined;
  const signal = SIGNAL_CODES[buf.readUInt8(0)];
  const tenantLength = buf.readUInt16BE(1);
  if (!signal || FIXED + tenantLength > buf.length) return undefined;
  const payload: Payload = { signal, records, bytes: buf.subarray(FIXED + tenantLength) };
  if (tenantLength > 0) payload.tenant = buf.toString('utf8', FIXED, FIXED + tenantLength);
  return payload;
}
