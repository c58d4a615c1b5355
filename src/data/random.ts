/**
 * Seeded randomness for splits, shuffles and resampling: mulberry32 streams keyed by (seed, purpose, epoch),
 * so e.g. the split never changes when the shuffle seed or the epoch does.
 */

/** 32-bit hash of a seed and any number of stream ids (murmur3 finaliser after each mix). */
export function mixSeed(seed: number, ...streams: number[]): number {
  let h = Math.imul(seed >>> 0, 0x9e3779b1) >>> 0;
  for (const s of streams) {
    h = (h ^ Math.imul(s >>> 0, 0x85ebca6b)) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x846ca68b);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A uniform [0, 1) generator (mulberry32) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let r = Math.imul(state ^ (state >>> 15), 1 | state);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles `items` in place (Fisher-Yates) and returns it. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** `count` distinct items of `items` (count ≤ length), in random order. */
export function sampleWithoutReplacement<T>(items: readonly T[], count: number, random: () => number): T[] {
  return shuffleInPlace([...items], random).slice(0, count);
}

/** Stream ids, one per purpose. */
export const STREAM = { split: 1, shuffle: 2, balance: 3 } as const;
