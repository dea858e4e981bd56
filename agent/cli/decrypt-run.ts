// One decrypt run over OTLP/JSON: requests one per line (the file exporter's output), or a whole
// document when the first line is not JSON on its own. A line sealed whole (the file exporter's
// `encryption`) is opened first; every log record is then handed to openRecord; other signals pass
// through unchanged. The tallies feed the summary and the audit entry.
import { once } from 'node:events';
import { TENANT_ATTRIBUTE } from '../kit/attributes.ts';
import type { OpeningKeys } from '../kit/keyring/opening-keys.ts';
import { ChainReader, type LineOutcome, openSealedLine } from '../kit/keyring/sealed-line.ts';
import { MAX_IDS, type OpenedRecord } from './audit-log.ts';
import { type KeyValueJson, type LogRecordJson, type OpenOutcome, openRecord } from './record-opener.ts';

/** Stops the run: a bundle failed to open and --skip-failed was not given. */
export class DecryptStop extends Error {}

const REQUEST_ID = 'http.request.header.x-request-id';

interface LogsRequestJson {
  resourceLogs?: {
    resource?: { attributes?: KeyValueJson[] };
    scopeLogs?: { logRecords?: LogRecordJson[] }[];
  }[];
}

export class DecryptRun {
  readonly tally = { total: 0, sealed: 0, opened: 0, no_key: 0, failed: 0 };
  /** Lines sealed whole: their records are counted in `tally` once the line is open. */
  readonly lines = { sealed: 0, opened: 0, no_key: 0, failed: 0 };
  readonly kidsUsed = new Map<string, number>();
  /** Per-tenant sealing: records opened per recipient tenant ('' the default recipient). */
  readonly tenantsOpened = new Map<string, number>();
  readonly opened: OpenedRecord[] = [];
  openedTruncated = false;
  readonly skipFailed: boolean;
  readonly #keys: OpeningKeys;
  readonly #stderr: NodeJS.WritableStream;
  readonly #missing = new Map<string, number>();
  readonly #missingLines = new Map<string, number>();

  constructor(keys: OpeningKeys, skipFailed: boolean, stderr: NodeJS.WritableStream) {
    this.#keys = keys;
    this.skipFailed = skipFailed;
    this.#stderr = stderr;
  }

  async process(lines: AsyncIterable<string>, sink: NodeJS.WritableStream): Promise<void> {
    let lineNo = 0;
    let document: string[] | undefined;
    let seenJson = false;
    const chain = new ChainReader();
    for await (const line of lines) {
      lineNo++;
      if (document) {
        document.push(line);
        continue;
      }
      if (line.trim() === '') continue;
      const sealed = openSealedLine(line, this.#keys.symmetric, chain, this.#keys);
      if (sealed.kind !== 'clear') seenJson = true; // the file exporter's lines, not a document
      if (sealed.kind !== 'clear' && sealed.kind !== 'opened') {
        this.#unopenedLine(sealed, lineNo);
        await write(sink, `${line}\n`); // left as it is
        continue;
      }
      let request: unknown;
      try {
        request = JSON.parse(sealed.kind === 'opened' ? sealed.text : line);
      } catch {
        if (seenJson) throw new DecryptStop(`line ${lineNo}: not an OTLP/JSON request`);
        document = [line];
        continue;
      }
      seenJson = true;
      if (sealed.kind === 'opened') this.lines.opened++;
      this.#request(request as LogsRequestJson, lineNo, sealed.kind === 'opened' ? sealed.kid : undefined);
      await write(sink, `${JSON.stringify(request)}\n`);
    }
    if (!document) return;
    let request: unknown;
    try {
      request = JSON.parse(document.join('\n'));
    } catch {
      throw new DecryptStop('the input is neither OTLP/JSON lines nor one OTLP/JSON document');
    }
    this.#request(request as LogsRequestJson, 1);
    await write(sink, `${JSON.stringify(request)}\n`);
  }

  /** One note per kid the keyring lacks. */
  reportMissing(): void {
    const note = (n: number, what: string, kid: string) =>
      this.#stderr.write(
        `meshtail decrypt: ${n} ${what} sealed under key '${kid}' left as they are: no such key in the keyring\n`,
      );
    for (const [kid, n] of this.#missingLines) note(n, 'lines', kid);
    for (const [kid, n] of this.#missing) note(n, 'records', kid);
  }

  /** A sealed line that stays sealed: its kid is missing, or it failed (stops the run unless skipped). */
  #unopenedLine(o: Exclude<LineOutcome, { kind: 'clear' | 'opened' }>, line: number): void {
    this.lines.sealed++;
    if (o.kind === 'no_key') {
      this.lines.no_key++;
      this.#missingLines.set(o.kid, (this.#missingLines.get(o.kid) ?? 0) + 1);
      return;
    }
    const what = `line ${line}, key '${o.kid}': ${o.reason}`;
    if (!this.skipFailed) throw new DecryptStop(what);
    this.lines.failed++;
    this.#stderr.write(`meshtail decrypt: skipped ${what}\n`);
  }

  #request(request: LogsRequestJson, line: number, lineKid?: string): void {
    if (lineKid !== undefined) this.lines.sealed++;
    let index = 0;
    for (const rl of request.resourceLogs ?? []) {
      const tenant = rl.resource?.attributes?.find((kv) => kv.key === TENANT_ATTRIBUTE)?.value?.stringValue;
      for (const sl of rl.scopeLogs ?? [])
        for (const lr of sl.logRecords ?? [])
          this.#record(lr, line, ++index, typeof tenant === 'string' ? tenant : undefined, lineKid);
    }
  }

  #record(
    lr: LogRecordJson,
    line: number,
    record: number,
    resourceTenant: string | undefined,
    lineKid: string | undefined,
  ): void {
    const t = this.tally;
    t.total++;
    const outcome = throughLine(openRecord(lr, this.#keys, resourceTenant), lineKid);
    if (outcome.kind === 'plain') return;
    t.sealed++;
    if (outcome.kind === 'no_key') {
      t.no_key++;
      this.#missing.set(outcome.kid, (this.#missing.get(outcome.kid) ?? 0) + 1);
      return;
    }
    if (outcome.kind === 'failed') {
      const what = `${describe(lr, line, record)}, key '${outcome.kid}': ${outcome.reason}`;
      if (!this.skipFailed) throw new DecryptStop(what);
      t.failed++;
      this.#stderr.write(`meshtail decrypt: skipped ${what}\n`);
      return;
    }
    t.opened++;
    for (const kid of new Set(outcome.kids)) this.kidsUsed.set(kid, (this.kidsUsed.get(kid) ?? 0) + 1);
    const tenants = new Set(outcome.tenants);
    for (const kid of outcome.kids) {
      const tenant = this.#keys.tenantOf(kid);
      if (tenant !== undefined) tenants.add(tenant);
    }
    for (const t of tenants) this.tenantsOpened.set(t, (this.tenantsOpened.get(t) ?? 0) + 1);
    if (this.opened.length >= MAX_IDS) {
      this.openedTruncated = true;
      return;
    }
    const ids = idsOf(lr);
    this.opened.push({ line, record, kid: outcome.kids[0]!, ...ids });
  }
}

/** A record read from an opened sealed line was sealed, and opened, by that line's key too. */
function throughLine(o: OpenOutcome, lineKid: string | undefined): OpenOutcome {
  if (lineKid === undefined) return o;
  if (o.kind === 'plain') return { kind: 'opened', kids: [lineKid] };
  return o.kind === 'opened' ? { kind: 'opened', kids: [...o.kids, lineKid] } : o;
}

function idsOf(lr: LogRecordJson): { trace_id?: string; request_id?: string } {
  const ids: { trace_id?: string; request_id?: string } = {};
  if (typeof lr.traceId === 'string' && lr.traceId !== '') ids.trace_id = lr.traceId;
  const rid = lr.attributes?.find((kv) => kv.key === REQUEST_ID)?.value?.stringValue;
  if (typeof rid === 'string') ids.request_id = rid;
  return ids;
}

function describe(lr: LogRecordJson, line: number, record: number): string {
  const ids = idsOf(lr);
  const named = [
    ids.trace_id && `trace ${ids.trace_id}`,
    ids.request_id && `request ${ids.request_id}`,
  ].filter(Boolean);
  return `line ${line}, record ${record}${named.length > 0 ? ` (${named.join(', ')})` : ''}`;
}

async function write(sink: NodeJS.WritableStream, text: string): Promise<void> {
  if (!sink.write(text)) await once(sink, 'drain');
}
