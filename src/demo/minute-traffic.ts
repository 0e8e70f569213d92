// One deployment's simulated minute. Each stage (requests, latency, tokens) draws from its own
// keyed generator, so computing only the stages a query needs gives the same numbers as computing
// all of them. A 30-day query walks ~170k deployment-minutes, so an instance is a reusable cursor
// over flat arrays (moveTo) rather than a tree of small objects per minute.
import type { DemoDeployment } from "./demo-resource.ts";
import { latencyFactor, throttledShare } from "./incidents.ts";
import { hashKey, pickAt, Random } from "./seeded-random.ts";
import type { TrafficProfile } from "./traffic-profiles.ts";

export const STATUS_CODES = ["200", "400", "429", "500", "503"] as const;
export const STREAM_TYPES = ["Streaming", "Non-Streaming"] as const;
export const TEXT_TYPES = ["Prompt", "Completion"] as const;
export const HARM_CATEGORIES = ["Hate", "Violence", "SelfHarm", "Sexual"] as const;
export const SEVERITIES = ["Low", "Medium", "High"] as const;

/** The default content filter blocks medium and high severity. */
export const FIRST_BLOCKED_SEVERITY = 1;

/** Slots of `latencies` (mean, min, max each): time to response per stream × status, then the generation measures. */
export const LATENCY_SLOT = {
  firstToken: STREAM_TYPES.length * STATUS_CODES.length,
  betweenTokens: STREAM_TYPES.length * STATUS_CODES.length + 1,
  lastByte: STREAM_TYPES.length * STATUS_CODES.length + 2,
  tokensPerSecond: STREAM_TYPES.length * STATUS_CODES.length + 3,
} as const;

/** Slots of `tokenTallies` (sum, smallest request, largest request each). */
export const TOKEN_SLOT = { prompt: 0, completion: 1, active: 2 } as const;

const HARM_CATEGORY_WEIGHTS = [0.25, 0.3, 0.15, 0.3];
const SEVERITY_WEIGHTS = [0.6, 0.28, 0.12];
const STATUS_COUNT = STATUS_CODES.length;
const HARM_CELLS = TEXT_TYPES.length * HARM_CATEGORIES.length * SEVERITIES.length;
const LATENCY_SLOTS = LATENCY_SLOT.tokensPerSecond + 1;
/** Typical time to response of non-200 answers: validation, throttling, server failure, overload. */
const ERROR_RESPONSE_MS = [55, 12, 2400, 160];
const S200 = 0;
const S400 = 1;
const S429 = 2;
const S500 = 3;
const S503 = 4;

const REQUESTS = 1;
const LATENCY = 2;
const TOKENS = 4;
/** Day-to-day noise on a minute's demand (log-normal σ). */
const DEMAND_SIGMA = 0.08;
/** Key of the generator that gives spilled-in requests their status: the own draws stay as they were. */
const SPILL_STAGE = 8;

export interface MinuteContext {
  readonly seed: number;
}

/**
 * Spillover (deployment-limits.ts): a deployment that spills sends what it would answer 429 to its
 * spillover deployment, which serves those requests as its own and counts them IsSpillover "true".
 */
export interface SpillWiring {
  /** This deployment's 429s are retried on its spillover deployment, so it answers none itself. */
  readonly spills: boolean;
  /** Cursors of the deployments spilling into this one, moved to the same minute as it (DemoTraffic.move). */
  readonly sources: readonly MinuteTraffic[];
}

const NO_SPILL: SpillWiring = { spills: false, sources: [] };

export class MinuteTraffic {
  readonly deployment: DemoDeployment;
  minuteMs = Number.NaN;
  private readonly profile: TrafficProfile;
  private readonly ctx: MinuteContext;
  private readonly deploymentKey: number;
  /** Mean requests arriving this minute, before throttling. */
  private demand = 0;
  /** Bit set of the stages drawn for the current minute. */
  private drawn = 0;
  /** Requests served by stream × status, spilled-in ones included. */
  private readonly counts = new Float64Array(STREAM_TYPES.length * STATUS_COUNT);
  /** The part of `counts` that other deployments spilled into this one. */
  private readonly spilledIn = new Float64Array(STREAM_TYPES.length * STATUS_COUNT);
  /** Requests sent on to the spillover deployment, by stream. */
  private readonly spilledOut = new Float64Array(STREAM_TYPES.length);
  readonly spill: SpillWiring;
  private readonly harm = new Float64Array(HARM_CELLS);
  private util = Number.NaN;
  private load = 0;
  private readonly latencyValues = new Float64Array(LATENCY_SLOTS * 3);
  private readonly tokenValues = new Float64Array(3 * 3);
  private readonly cacheValues = new Float64Array(3);
  private harmDirty = false;
  /** One generator per stage, reseeded each minute: stages nest (latency reads tokens), so they cannot share one. */
  private readonly requestRandom = new Random(0);
  private readonly latencyRandom = new Random(0);
  private readonly tokenRandom = new Random(0);
  private readonly spillRandom = new Random(0);

  constructor(ctx: MinuteContext, deployment: DemoDeployment, deploymentKey: number, profile: TrafficProfile, spill: SpillWiring = NO_SPILL) {
    this.ctx = ctx;
    this.deployment = deployment;
    this.deploymentKey = deploymentKey;
    this.profile = profile;
    this.spill = spill;
  }

  /** Points the cursor at another minute; DemoTraffic.move supplies the demand. */
  moveTo(minuteMs: number, demand: number): void {
    this.minuteMs = minuteMs;
    this.demand = demand;
    this.drawn = 0;
  }

  /** Requests this deployment served (and counts in its metrics and logs), spilled-in ones included. */
  count(stream: number, status: number): number {
    this.ensure(REQUESTS);
    return this.counts[stream * STATUS_COUNT + status] ?? 0;
  }

  /** Of count(stream, status), the requests another deployment spilled into this one (IsSpillover "true"). */
  spilledInto(stream: number, status: number): number {
    this.ensure(REQUESTS);
    return this.spilledIn[stream * STATUS_COUNT + status] ?? 0;
  }

  /** Requests of the stream type this deployment sent on to its spillover deployment instead of answering 429. */
  spilledOver(stream: number): number {
    // Most minutes nothing is throttled, so nothing spills: the minute's first draw (its demand) says so
    // without drawing the whole minute, which the spillover deployment's cursor would otherwise do every minute.
    if ((this.drawn & REQUESTS) === 0 && this.throttledAt(this.demand * this.requestRandom.reseed(this.stageSeed(REQUESTS)).lognormal(DEMAND_SIGMA)) === 0) return 0;
    this.ensure(REQUESTS);
    return this.spilledOut[stream] ?? 0;
  }

  get succeeded(): number {
    return this.count(0, S200) + this.count(1, S200);
  }

  /** Harmful content detections by [(textType × categories + category) × severities + severity]. */
  harmful(cell: number): number {
    this.ensure(REQUESTS);
    return this.harm[cell] ?? 0;
  }

  /** Provisioned utilisation in percent, capped at 100; undefined for pay-as-you-go deployments. */
  get utilisation(): number | undefined {
    this.ensure(REQUESTS);
    return Number.isNaN(this.util) ? undefined : this.util;
  }

  /** mean, min, max per LATENCY_SLOT; a NaN mean means no request was measured. */
  get latencies(): Float64Array {
    this.ensure(LATENCY);
    return this.latencyValues;
  }

  /** sum, min, max per TOKEN_SLOT over successful requests; a NaN sum means none. */
  get tokenTallies(): Float64Array {
    this.ensure(TOKENS);
    return this.tokenValues;
  }

  /** mean, min, max percent of prompt tokens served from the cache; NaN mean when not provisioned or idle. */
  get cacheMatch(): Float64Array {
    this.ensure(TOKENS);
    return this.cacheValues;
  }

  private ensure(stage: number): void {
    if ((this.drawn & stage) !== 0) return;
    this.drawn |= stage;
    const seed = this.stageSeed(stage);
    if (stage === REQUESTS) this.drawRequests(this.requestRandom.reseed(seed));
    else if (stage === LATENCY) this.drawLatency(this.latencyRandom.reseed(seed));
    else this.drawTokens(this.tokenRandom.reseed(seed));
  }

  private stageSeed(stage: number): number {
    return hashKey(this.ctx.seed, this.deploymentKey, this.minuteMs / 60_000, stage);
  }

  /** Utilisation in percent a provisioned deployment would need for `demand`, uncapped; NaN when not provisioned. */
  private wanted(demand: number): number {
    const p = this.profile;
    return p.provisioned ? (100 * demand * (p.promptTokens + p.completionTokens)) / p.provisioned.capacityTokensPerMinute : Number.NaN;
  }

  /** Share of the minute's requests answered 429: scripted incidents, and a provisioned deployment's demand beyond its capacity. */
  private throttledAt(demand: number): number {
    const share = throttledShare(this.deployment.name, this.minuteMs);
    const wanted = this.wanted(demand);
    return wanted > 100 ? Math.max(share, 1 - 100 / wanted) : share;
  }

  private drawRequests(rnd: Random): void {
    const p = this.profile;
    const demand = this.demand * rnd.lognormal(DEMAND_SIGMA);
    const throttled = this.throttledAt(demand);
    const wanted = this.wanted(demand);
    this.util = Number.isNaN(wanted) ? Number.NaN : Math.min(100, wanted);
    this.load = this.demand / p.peakPerMinute;
    const counts = this.counts;
    if (this.harmDirty) this.harm.fill(0);
    this.harmDirty = false;
    const errorRate = p.badRequestRate + p.serverErrorRate.internal + p.serverErrorRate.unavailable;
    let blockedStreaming = 0;
    let blockedOther = 0;
    const harmful = p.harmfulRate.prompt + p.harmfulRate.completion;
    const events = harmful > 0 ? rnd.poisson(demand * (1 - throttled) * harmful) : 0;
    for (let e = 0; e < events; e++) {
      // Four coarse uniforms from the bytes of one draw are plenty to classify an event.
      const b = rnd.bits();
      const text = ((b & 0xff) / 256) * harmful < p.harmfulRate.prompt ? 0 : 1;
      const stream = ((b >>> 8) & 0xff) / 256 < p.streamingShare ? 0 : 1;
      const category = pickAt(HARM_CATEGORY_WEIGHTS, ((b >>> 16) & 0xff) / 256);
      const severity = pickAt(SEVERITY_WEIGHTS, (b >>> 24) / 256);
      const cell = (text * HARM_CATEGORIES.length + category) * SEVERITIES.length + severity;
      this.harm[cell] = (this.harm[cell] ?? 0) + 1;
      this.harmDirty = true;
      // A blocked prompt is answered 400; a filtered completion still returns 200.
      if (text === 0 && severity >= FIRST_BLOCKED_SEVERITY) {
        if (stream === 0) blockedStreaming++;
        else blockedOther++;
      }
    }
    this.spilledOut.fill(0);
    for (let s = 0; s < STREAM_TYPES.length; s++) {
      const share = s === 0 ? p.streamingShare : 1 - p.streamingShare;
      const base = s * STATUS_COUNT;
      if (share <= 0) {
        for (let st = 0; st < STATUS_COUNT; st++) counts[base + st] = 0;
        continue;
      }
      const arriving = demand * share;
      const admitted = arriving * (1 - throttled);
      counts[base + S200] = rnd.poisson(admitted * (1 - errorRate));
      counts[base + S400] = s === 0 ? blockedStreaming : blockedOther;
      counts[base + S429] = rnd.poisson(arriving * throttled);
      counts[base + S500] = 0;
      counts[base + S503] = 0;
      // One draw for all errors, then one cheap pick per error: splitting a Poisson count this way
      // gives independent Poisson counts per status, for a third of the cost of drawing each.
      const errors = rnd.poisson(admitted * errorRate);
      for (let e = 0; e < errors; e++) {
        const u = rnd.next() * errorRate;
        const status = u < p.badRequestRate ? S400 : u < p.badRequestRate + p.serverErrorRate.internal ? S500 : S503;
        counts[base + status] = (counts[base + status] ?? 0) + 1;
      }
      // Azure retries a spilling deployment's 429s on its spillover deployment.
      if (this.spill.spills) {
        this.spilledOut[s] = counts[base + S429] ?? 0;
        counts[base + S429] = 0;
      }
    }
    this.spilledIn.fill(0);
    if (this.spill.sources.length > 0) this.serveSpilled(throttled, errorRate);
  }

  /**
   * The requests spilled into this deployment this minute, given statuses as its own: mostly 200,
   * its own throttling and error rates otherwise. They join `counts`, so the latency and token
   * stages treat them as this deployment's (its latency, its tokens per request). The content
   * filter's detections are drawn for own requests only.
   */
  private serveSpilled(throttled: number, errorRate: number): void {
    const p = this.profile;
    const rnd = this.spillRandom.reseed(hashKey(this.ctx.seed, this.deploymentKey, this.minuteMs / 60_000, SPILL_STAGE));
    for (const source of this.spill.sources) {
      for (let s = 0; s < STREAM_TYPES.length; s++) {
        const n = source.spilledOver(s);
        const base = s * STATUS_COUNT;
        for (let i = 0; i < n; i++) {
          const u = rnd.next();
          const v = throttled >= 1 ? 0 : (u - throttled) / (1 - throttled);
          const status = u < throttled ? S429 : v >= errorRate ? S200 : v < p.badRequestRate ? S400 : v < p.badRequestRate + p.serverErrorRate.internal ? S500 : S503;
          this.counts[base + status] = (this.counts[base + status] ?? 0) + 1;
          this.spilledIn[base + status] = (this.spilledIn[base + status] ?? 0) + 1;
        }
      }
    }
  }

  private drawLatency(rnd: Random): void {
    const p = this.profile;
    const util = this.utilisation;
    const incident = latencyFactor(this.deployment.name, this.minuteMs);
    const saturation = util === undefined ? 0 : Math.max(0, util - 80) / 20;
    const slowdown = incident * (1 + 0.25 * Math.min(this.load, 1.5)) * (1 + 0.6 * saturation);
    const out = this.latencyValues;
    for (let s = 0; s < STREAM_TYPES.length; s++) {
      for (let st = 0; st < STATUS_COUNT; st++) {
        const slot = s * STATUS_COUNT + st;
        const n = this.count(s, st);
        const typical = st === S200 ? (s === 0 ? p.responseMs.streaming : p.responseMs.nonStreaming) * slowdown : (ERROR_RESPONSE_MS[st - 1] ?? 0);
        // A cell that only spilled-in requests fill draws from its own generator, so the own cells keep their numbers.
        const onlySpilled = n > 0 && n === (this.spilledIn[slot] ?? 0);
        setSpread(out, slot, onlySpilled ? this.spillRandom.reseed(hashKey(this.ctx.seed, this.deploymentKey, this.minuteMs / 60_000, SPILL_STAGE + slot + 1)) : rnd, n, typical);
      }
    }
    const n = this.succeeded;
    if (this.deployment.kind !== "chat" || n === 0) {
      out[LATENCY_SLOT.firstToken * 3] = Number.NaN;
      out[LATENCY_SLOT.betweenTokens * 3] = Number.NaN;
      out[LATENCY_SLOT.lastByte * 3] = Number.NaN;
      out[LATENCY_SLOT.tokensPerSecond * 3] = Number.NaN;
      return;
    }
    const f = LATENCY_SLOT.firstToken * 3;
    const g = LATENCY_SLOT.betweenTokens * 3;
    setSpread(out, LATENCY_SLOT.firstToken, rnd, n, p.responseMs.streaming * slowdown * rnd.between(0.82, 0.95));
    setSpread(out, LATENCY_SLOT.betweenTokens, rnd, n, p.tokenGapMs * (1 + (slowdown - 1) * 0.4));
    const firstMean = out[f] ?? 0;
    const gapMean = out[g] ?? 1;
    const completion = this.tokenTallies[TOKEN_SLOT.completion * 3] ?? Number.NaN;
    const perRequest = Number.isNaN(completion) ? p.completionTokens : completion / n;
    // Last byte and speed follow from the other two, so TTLT ≈ TTFT + tokens × TBT holds in every point.
    const last = LATENCY_SLOT.lastByte * 3;
    const tps = LATENCY_SLOT.tokensPerSecond * 3;
    out[last] = firstMean + gapMean * perRequest;
    out[tps] = 1000 / gapMean;
    const single = n === 1;
    out[last + 1] = single ? (out[last] ?? 0) : (out[f + 1] ?? 0) + (out[g + 1] ?? 0) * perRequest * 0.1;
    out[last + 2] = single ? (out[last] ?? 0) : (out[f + 2] ?? 0) + (out[g + 2] ?? 0) * perRequest * 1.5;
    out[tps + 1] = single ? (out[tps] ?? 0) : 1000 / (out[g + 2] ?? gapMean);
    out[tps + 2] = single ? (out[tps] ?? 0) : 1000 / (out[g + 1] ?? gapMean);
  }

  private drawTokens(rnd: Random): void {
    const p = this.profile;
    const n = this.succeeded;
    const out = this.tokenValues;
    out.fill(Number.NaN);
    this.cacheValues.fill(Number.NaN);
    if (n === 0) return;
    setTally(out, TOKEN_SLOT.prompt, rnd, n, p.promptTokens * rnd.lognormal(0.15));
    if (p.completionTokens > 0) setTally(out, TOKEN_SLOT.completion, rnd, n, p.completionTokens * rnd.lognormal(0.15));
    if (!p.provisioned) return;
    const prompt = TOKEN_SLOT.prompt * 3;
    const completion = TOKEN_SLOT.completion * 3;
    const generated = Number.isNaN(out[completion] ?? Number.NaN) ? 0 : (out[completion] ?? 0);
    const rate = Math.min(95, p.provisioned.cacheMatchPercent * rnd.lognormal(0.15));
    const promptSum = out[prompt] ?? 0;
    const active = TOKEN_SLOT.active * 3;
    out[active] = promptSum - Math.round((promptSum * rate) / 100) + generated;
    out[active + 1] = n === 1 ? (out[active] ?? 0) : Math.max(1, Math.round((out[prompt + 1] ?? 0) * 0.5));
    out[active + 2] = n === 1 ? (out[active] ?? 0) : (out[prompt + 2] ?? 0) + (generated > 0 ? (out[completion + 2] ?? 0) : 0);
    const c = this.cacheValues;
    c[0] = rate;
    c[1] = n === 1 ? rate : rate * rnd.between(0, 0.1);
    c[2] = n === 1 ? rate : Math.min(100, rate + (100 - rate) * rnd.between(0.7, 1));
  }
}

/**
 * mean (±10 % noise around `typical`), min and max for n requests, with a tail that grows with the
 * sample; NaN mean when nothing was measured. One 32-bit draw feeds all three: three bytes make the
 * noise (Irwin–Hall), the last byte's halves place min and max. This runs ~2 million times for a 30-day query.
 */
function setSpread(out: Float64Array, slot: number, rnd: Random, n: number, typical: number): void {
  const o = slot * 3;
  if (n === 0) {
    out[o] = Number.NaN;
    return;
  }
  const b = rnd.bits();
  const z = (((b & 0xff) + ((b >>> 8) & 0xff) + ((b >>> 16) & 0xff)) / 255 - 1.5) * 2;
  const mean = typical * (1 + 0.1 * z);
  out[o] = mean;
  out[o + 1] = n === 1 ? mean : mean * (0.3 + 0.02 * ((b >>> 24) & 0x0f));
  out[o + 2] = n === 1 ? mean : mean * (1.4 + (0.1 + 0.02 * (b >>> 28)) * Math.log(n));
}

/** Integer token totals for n requests, with a smallest and largest single request around the mean. */
function setTally(out: Float64Array, slot: number, rnd: Random, n: number, mean: number): void {
  const o = slot * 3;
  const sum = Math.max(n, Math.round(n * mean));
  const avg = sum / n;
  out[o] = sum;
  if (n === 1) {
    out[o + 1] = sum;
    out[o + 2] = sum;
    return;
  }
  const b = rnd.bits();
  out[o + 1] = Math.max(1, Math.floor(avg * (0.03 + 0.12 * ((b & 0xffff) / 65536))));
  out[o + 2] = Math.ceil(avg * (3 + 3 * ((b >>> 16) / 65536)));
}
