// What every check of one config file shares: the parsed source and what substitution did to it.
import type { Node } from 'yaml';
import type { YamlSource } from './yaml-source.ts';

export interface LoadContext {
  source: YamlSource;
  /** Scalars whose value came from `${env:...}`/`${file:...}`: never echo their values. */
  tainted: Set<Node>;
  /** Scalars re-parsed from substituted text to a non-string, with that text (to retry as a string). */
  reparsed: Map<Node, string>;
  /** Scalars whose substitution failed: already reported, so no second error about their value. */
  failed: Set<Node>;
}
