// Runs in the worker threads: scrubs credentials and personal data from every record's attributes
// and body (record-redactor.ts). A record that cannot be inspected is failed closed (fail-closed.ts).
import type { ProcessLogs, ProcessorContext } from '../../agent/kit/worker/processor.ts';
import { AllowList } from './allow-list.ts';
import type { RedactConfig } from './config.ts';
import { ENTITIES, type Entity } from './entity.ts';
import { FAILED_ATTRIBUTE, failClosed } from './fail-closed.ts';
import { HeaderRules } from './header-rules.ts';
import { ephemeralKey, type HashKey, KeyedHash } from './keyed-hash.ts';
import type { PublishedKey } from './main.ts';
import { RecordRedactor } from './record-redactor.ts';
import { Replacement } from './replacement.ts';
import { TextScanner } from './text-scanner.ts';

/** Without a main-thread part (tests, benchmarks) a thread makes its own key, once. */
let threadKey: HashKey | undefined;

export function createProcessor(c: RedactConfig, context?: ProcessorContext): ProcessLogs {
  const count = context ? (e: string) => context.count(e) : () => {};
  const actions = c.actions;
  const enabled = (e: Entity) => actions[e] !== 'off';
  const configured: HashKey | undefined =
    c.hash_key === undefined ? undefined : { id: c.hash_key_id, key: Buffer.from(c.hash_key, 'utf8') };
  const currentKey = (): HashKey => {
    if (configured) return configured;
    const published = context?.state?.current() as PublishedKey | undefined;
    if (published) return { id: published.id, key: Buffer.from(published.key, 'base64') };
    threadKey ??= ephemeralKey();
    return threadKey;
  };
  const replacement = new Replacement(actions, c.mask_style, new KeyedHash(currentKey()));
  const redactor = new RecordRedactor({
    scanner: new TextScanner(c.query_keys, enabled),
    headers: new HeaderRules(c.secret_headers),
    replacement,
    allow: new AllowList(c.allow),
    count,
    maxValueSize: c.max_value_size,
  });
  const uninspected = replacement.mask('uninspected');
  const hashes = ENTITIES.some((e) => actions[e] === 'hash');
  return (batch) => {
    if (hashes && !configured) {
      const key = currentKey();
      if (key.id !== replacement.hash.id) {
        replacement.hash = new KeyedHash(key);
        redactor.clearMemo();
      }
    }
    for (const r of batch.records) {
      try {
        redactor.redact(r);
      } catch {
        // Why is not reported per record: the reason could only be told with the value.
        count('failed');
        if (c.fail_closed) failClosed(r, uninspected);
        else r.attributes[FAILED_ATTRIBUTE] = true;
      }
    }
  };
}
