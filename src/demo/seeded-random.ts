// Counter-based randomness: each generator is seeded from a key such as (seed, deployment,
// minute, stage), never from a stream shared across minutes, so a minute's numbers do not
// depend on which window asked for them or in what order.

/** FNV-1a, to turn names into hash inputs. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes integer key parts into one 32-bit seed (murmur3 finaliser after each part). Fixed arity: it runs per simulated minute. */
export function hashKey(a: number, b: number, c: number, d: number): number {
  return mix(mix(mix(mix(0x9e3779b9, a), b), c), d);
}

function mix(h: number, part: number): number {
  let x = Math.imul(h ^ (part | 0), 0x85ebca6b);
  // Parts may be wider than 32 bits (epoch milliseconds): fold the high half in as well.
  if (part > 0x7fffffff || part < -0x80000000) x ^= Math.imul(Math.floor(part / 4294967296) | 0, 0xc2b2ae35);
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** mulberry32: tiny, fast and good enough for plausible-looking noise. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Restarts the sequence from another seed; lets a hot loop reuse one generator instead of allocating. */
  reseed(seed: number): this {
    this.state = seed >>> 0;
    return this;
  }

  /** Uniform 32-bit integer. */
  bits(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.bits() / 4294967296;
  }

  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo + 1) * this.next());
  }

  /**
   * Approximately standard normal: Irwin–Hall of the four bytes of one draw. A 30-day query draws
   * millions of these; no log or trig, and tails capped at ±3.5σ suit plausible-looking noise.
   */
  normal(): number {
    const b = this.bits();
    const sum = (b & 0xff) + ((b >>> 8) & 0xff) + ((b >>> 16) & 0xff) + (b >>> 24);
    return (sum / 255 - 2) * 1.7320508075688772;
  }

  /**
   * Multiplicative noise centred on 1 that skews right like real latencies and sizes. exp() is
   * replaced by its cubic Taylor polynomial: for the small sigmas used here (≤ 0.2, |z| ≤ 3.5)
   * it stays within 0.5 % and positive, at a fraction of the cost.
   */
  lognormal(sigma: number): number {
    const x = sigma * this.normal() - (sigma * sigma) / 2;
    return 1 + x * (1 + x * (0.5 + x / 6));
  }

  /** Event counts per minute: exact (inverse CDF, one draw) for small means, normal approximation above 12. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 12) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const u = this.next();
    let k = 0;
    let p = expNegative(mean);
    let cdf = p;
    while (u > cdf && k < RECIPROCALS.length - 1) {
      k++;
      p *= mean * (RECIPROCALS[k] ?? 0);
      cdf += p;
    }
    return k;
  }

  /** Index drawn with the given relative weights. */
  pick(weights: readonly number[]): number {
    return pickAt(weights, this.next());
  }
}

/** The index whose share of the weights' total covers position u ∈ [0, 1). */
export function pickAt(weights: readonly number[], u: number): number {
  let total = 0;
  for (const w of weights) total += w;
  let r = u * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i] ?? 0;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** e^-x for 0 ≤ x ≤ 16 by linear interpolation in a table (relative error about 1e-4); Math.exp elsewhere. */
function expNegative(x: number): number {
  const at = x * EXP_STEPS_PER_UNIT;
  const i = Math.floor(at);
  const lo = EXP_TABLE[i];
  const hi = EXP_TABLE[i + 1];
  if (lo === undefined || hi === undefined) return Math.exp(-x);
  return lo + (hi - lo) * (at - i);
}

const EXP_STEPS_PER_UNIT = 32;
const EXP_TABLE = Float64Array.from({ length: 16 * EXP_STEPS_PER_UNIT + 2 }, (_, i) => Math.exp(-i / EXP_STEPS_PER_UNIT));

/** 1/k, because a division per step made small Poisson draws the hot spot of long queries. */
const RECIPROCALS = Float64Array.from({ length: 101 }, (_, k) => (k === 0 ? 0 : 1 / k));
