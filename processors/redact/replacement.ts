// What a finding is replaced with, per action: mask, partial, hash (drop masks in text; removing
// the attribute is the record redactor's part).
import { lastFour } from './card-number.ts';
import type { Action, Entity } from './entity.ts';
import { ipNetwork } from './ip-address.ts';
import type { KeyedHash } from './keyed-hash.ts';

export class Replacement {
  readonly #actions: Record<Entity, Action>;
  readonly #stars: boolean;
  hash: KeyedHash;

  constructor(actions: Record<Entity, Action>, maskStyle: 'typed' | 'stars', hash: KeyedHash) {
    this.#actions = actions;
    this.#stars = maskStyle === 'stars';
    this.hash = hash;
  }

  action(entity: Entity): Action {
    return this.#actions[entity];
  }

  mask(entity: Entity | 'uninspected'): string {
    return this.#stars ? '***' : `[REDACTED:${entity}]`;
  }

  text(entity: Entity, value: string): string {
    const action = this.#actions[entity];
    if (action === 'hash') return this.hash.pseudonym(value);
    if (action === 'partial') return partial(entity, value);
    return this.mask(entity);
  }
}

function partial(entity: Entity, value: string): string {
  switch (entity) {
    case 'card':
      return `****${lastFour(value)}`;
    case 'email': {
      const at = value.indexOf('@');
      const cut = at >= 0 ? at : value.toLowerCase().indexOf('%40');
      return `***${value.slice(cut)}`;
    }
    case 'ip':
      return ipNetwork(value);
    case 'iban': {
      const compact = value.replaceAll(' ', '');
      return `${compact.slice(0, 2)}***${compact.slice(-4)}`;
    }
    default:
      return value.length >= 12 ? `${value.slice(0, 4)}***` : '***';
  }
}
