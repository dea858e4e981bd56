// One baseline per (metric, key): an EWMA, the last `window` values for median/MAD, and optionally a
// level per hour of the week. Kept in an LRU map so the number of keys is bounded.
import { type Ewma, ewmaUpdate } from './ewma.ts';
import { MAD_TO_SIGMA, mad, median } from './mad.ts';

export interface Series {
  ewma: Ewma;
  window: number[];
  /** Hour-of-week levels (EWMA per slot), only with seasonality. */
  slots?: number[];
  /** Rates: the episode in progress, and the event time before which a new one is not reported. */
  episode?: 'burst' | 'drop';
  quietUntil?: number;
  /** The highest score of the episodes that set quietUntil: a stronger one is reported at once. */
  quietPeak?: number;
  /** Rates: the share of empty buckets (or windows), a slow average over about a day of buckets. */
  empty?: number;
}

export interface Baseline {
  expected: number;
  sigma: number;
  ewma: number;
  history: number;
}

const HOUR = 3_600_000;
/** 1970-01-01 was a Thursday; shift so slot 0 is Monday 00:00 UTC. */
const WEEK_OFFSET = 3 * 24;

export function hourOfWeek(ms: number): number {
  return (Math.floor(ms / HOUR) + WEEK_OFFSET) % 168;
}

export function newSeries(): Series {
  return { ewma: { value: 0, n: 0 }, window: [] };
}

/**
 * The expected value and spread. `countFloor` adds a Poisson floor (sqrt of the expected count) so a
 * series that has been flat (MAD 0) does not call every small change infinite.
 */
export function baselineOf(s: Series, at: number, countFloor: boolean, seasonal: boolean): Baseline {
  let expected = median(s.window);
  let spread = MAD_TO_SIGMA * mad(s.window, expected);
  const slot = s.slots?.[hourOfWeek(at)];
  if (seasonal && slot !== undefined && s.ewma.value > 0) {
    const factor = slot / s.ewma.value;
    expected *= factor;
    spread *= factor;
  }
  const floor = countFloor ? Math.sqrt(Math.max(expected, 1)) : Math.max(expected * 0.05, 0.005);
  return { expected, sigma: Math.max(spread, floor), ewma: s.ewma.value, history: s.window.length };
}

export function learn(
  s: Series,
  x: number,
  at: number,
  window: number,
  alpha: number,
  seasonal: boolean,
): void {
  s.window.push(x);
  if (s.window.length > window) s.window.shift();
  ewmaUpdate(s.ewma, x, alpha);
  if (seasonal) {
    s.slots ??= [];
    const i = hourOfWeek(at);
    const prev = s.slots[i];
    s.slots[i] = prev === undefined ? x : 0.2 * x + 0.8 * prev;
  }
}

/** A Map used as an LRU: get() refreshes, set() evicts the least recently used past `max`. */
export class Lru<V> {
  readonly #map = new Map<string, V>();
  readonly #max: number;

  constructor(max: number, entries?: Iterable<[string, V]>) {
    this.#max = max;
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }

  peek(key: string): V | undefined {
    return this.#map.get(key);
  }

  set(key: string, v: V): void {
    this.#map.delete(key);
    this.#map.set(key, v);
    if (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value;
      if (oldest !== undefined) this.#map.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#map.delete(key);
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  entries(): IterableIterator<[string, V]> {
    return this.#map.entries();
  }
}

/** Weight of the newest bucket in `Series.empty`: about 300 buckets of memory. */
const EMPTY_ALPHA = 1 / 300;
/** Above this share of empty buckets a series is sampled with holes, not continuous traffic. */
const HOLEY = 0.005;

/**
 * Records whether this bucket (or window) was empty and says whether the series, before it, was
 * continuous: a sampled series with holes drops to nothing routinely, so a hole is no drop.
 */
export function continuous(s: Series, x: number): boolean {
  const before = (s.empty ?? 0) <= HOLEY;
  s.empty = (s.empty ?? 0) + EMPTY_ALPHA * ((x === 0 ? 1 : 0) - (s.empty ?? 0));
  return before;
}
