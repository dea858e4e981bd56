// One parsed config file: the YAML document with its node ranges, and the LineCounter that turns a
// node's offset into the 1-based LINE:COL every ConfigError carries.
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import type { ConfigError } from './config-error.ts';

/** A path into the document as zod reports it: map keys and sequence indexes. */
export type ConfigPath = readonly PropertyKey[];

/** Where a path ends: the key node of its last map entry (if any) and the value node (if present). */
export interface Located {
  key?: Node;
  value?: Node;
}

export class YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly #lines = new LineCounter();
  readonly #text: string;

  constructor(file: string, text: string) {
    this.file = file;
    this.#text = text;
    // prettyErrors off: we want the raw offset and a one-line message, not a code frame.
    this.doc = parseDocument(text, { lineCounter: this.#lines, prettyErrors: false, uniqueKeys: true });
  }

  /**
   * Duplicate keys, each at the repeated key, and the first syntax error: the parser recovers from a
   * syntax error by guessing, so the errors after the first are mostly echoes of it.
   */
  syntaxErrors(): { errors: ConfigError[]; fatal: boolean } {
    const duplicates = this.doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
    const syntax = this.doc.errors.find((e) => e.code !== 'DUPLICATE_KEY');
    const errors = duplicates.map((e) => {
      const key = this.#text.slice(e.pos[0]).match(/^("[^"]*"|'[^']*'|[^:\n]*?)\s*:/)?.[1] ?? '';
      return this.errorAtOffset(
        e.pos[0],
        `duplicate key ${key.startsWith('"') ? key : `"${key}"`}; a key may appear only once in a map`,
      );
    });
    if (syntax)
      errors.push(this.errorAtOffset(syntax.pos[0], `YAML syntax error: ${syntax.message.split('\n')[0]}`));
    const aliases = syntax ? [] : this.#unresolvedAliases();
    errors.push(...aliases);
    // After a duplicate key the tree is still well-formed; after a syntax error it is a guess.
    return { errors, fatal: syntax !== undefined || aliases.length > 0 };
  }

  /** `*name` with no `&name` before it: the parser accepts it, converting the tree would throw. */
  #unresolvedAliases(): ConfigError[] {
    const errors: ConfigError[] = [];
    visit(this.doc, {
      Alias: (_, alias) => {
        if (alias.resolve(this.doc) === undefined) {
          const message = `unknown alias "*${alias.source}"; define it with &${alias.source} before using it`;
          errors.push(this.errorAt(alias, message));
        }
      },
    });
    return errors;
  }

  errorAtOffset(offset: number, message: string): ConfigError {
    const { line, col } = this.#lines.linePos(offset);
    return { file: this.file, line, column: col, message };
  }

  /** An error at a node, or at the start of the file when there is no node to point at. */
  errorAt(node: Node | undefined, message: string): ConfigError {
    return this.errorAtOffset(node?.range?.[0] ?? 0, message);
  }

  /** Follows a path from `from` through maps and sequences, resolving aliases. */
  locate(from: Node | null | undefined, path: ConfigPath): Located {
    let located: Located = from ? { value: from } : {};
    for (const segment of path) {
      const node = this.#resolve(located.value);
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) return {};
        located = { key: pair.key as Node, value: (pair.value ?? undefined) as Node | undefined };
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined || isPair(item)) return {};
        located = { value: item as Node };
      } else {
        return {};
      }
    }
    return located;
  }

  /** The deepest node that exists along `path`: where to point when the exact spot is missing. */
  nearest(from: Node | null | undefined, path: ConfigPath): Located {
    for (let n = path.length; n >= 0; n--) {
      const found = this.locate(from, path.slice(0, n));
      if (found.key || found.value) return found;
    }
    return {};
  }

  #resolve(node: Node | undefined): Node | undefined {
    return isAlias(node) ? (node.resolve(this.doc) as Node | undefined) : node;
  }
}
