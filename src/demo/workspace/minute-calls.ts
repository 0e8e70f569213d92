// The RequestResponse rows of one deployment's minute, synthesised from the same MinuteTraffic the
// metrics read: a cell (stream type × status code) holds exactly as many rows as the metrics count,
// and its DurationMs values average to that cell's latency for the minute (within rounding to whole
// milliseconds). Streaming successes last until the stream ends, so their mean is the minute's time
// to last byte (AzureOpenAITTLTInMS); every other cell's is its time to response. Each cell and row
// draws from its own key (seed, deployment, minute, cell, row), so a row is the same in every query
// and only the parts a query needs (durations, times, callers, ids) are drawn. Requests another
// deployment spilled into this one are its rows too (it served them: deployment-limits.ts), the
// last ones of each cell, and come from the callers of the deployment that spilled them.
import { demoGuid } from "../demo-guid.ts";
import type { DemoDeployment } from "../demo-resource.ts";
import { spilloverSources } from "../deployment-limits.ts";
import { LATENCY_SLOT, STATUS_CODES, STREAM_TYPES, type MinuteTraffic } from "../minute-traffic.ts";
import { hashKey, hashString, pickAt, Random } from "../seeded-random.ts";
import type { DemoTraffic } from "../traffic.ts";
import { callersOf, type CallerShare } from "./callers.ts";

export const CELLS = STREAM_TYPES.length * STATUS_CODES.length;
const STATUS_COUNT = STATUS_CODES.length;
const S200 = 0;
const STAGE_CELL = 40;
const ROW_TIME = 1;
const ROW_CALLER = 2;
const ROW_ID = 3;
/** Spread of a cell's durations (log-normal σ): successes have a long tail, errors are quick and alike. */
const SIGMA = { success: 0.35, error: 0.25 } as const;
/**
 * exp(σ·z) for every z the generator's normal() can return: it is the Irwin–Hall sum of a draw's
 * four bytes (0…1020), so a table lookup replaces Math.exp on each of a day's ~500k rows.
 */
function expTable(sigma: number): Float64Array {
  return Float64Array.from({ length: 1021 }, (_, sum) => Math.exp(sigma * (sum / 255 - 2) * Math.sqrt(3)));
}
const SPREAD = { success: expTable(SIGMA.success), error: expTable(SIGMA.error) } as const;
const MINUTE_MS = 60_000;

export function cellStream(cell: number): number {
  return Math.floor(cell / STATUS_COUNT);
}

export function cellStatus(cell: number): number {
  return cell % STATUS_COUNT;
}

export function resultSignature(cell: number): string {
  return STATUS_CODES[cellStatus(cell)] ?? "";
}

export function streamTypeName(cell: number): string {
  return STREAM_TYPES[cellStream(cell)] ?? "";
}

export function isSuccess(cell: number): boolean {
  return cellStatus(cell) === S200;
}

/** A cursor over one deployment's minutes: point it at a minute, then read that minute's rows. */
export class MinuteCalls {
  readonly deployment: DemoDeployment;
  readonly operationName: string;
  minuteMs = Number.NaN;
  private readonly traffic: DemoTraffic;
  private readonly t: MinuteTraffic;
  private readonly key: number;
  private readonly seed: number;
  /** Shares by callerAddresses of the deployment's own rows, and of the rows spilled into it. */
  private readonly callerShares: readonly number[];
  private readonly spilledCallerShares: readonly number[];
  readonly callerAddresses: readonly string[];
  /** Per-cell seeds of the current minute. */
  private readonly seeds = new Float64Array(CELLS);
  private durationBuffer = new Float64Array(256);
  private readonly random = new Random(0);

  constructor(traffic: DemoTraffic, deployment: DemoDeployment) {
    this.traffic = traffic;
    this.deployment = deployment;
    this.t = traffic.cursor(deployment);
    this.key = hashString(deployment.name);
    this.seed = traffic.seed;
    const own = callersOf(deployment.name);
    const spilling = spilloverSources(deployment.name).map(callersOf);
    // own addresses first, in their order, so own rows pick the same callers as without spillover
    const addresses = [...new Set([...own, ...spilling.flat()].map((c) => c.address))];
    const sharesOf = (callers: readonly CallerShare[]) => addresses.map((a) => callers.find((c) => c.address === a)?.share ?? 0);
    this.callerAddresses = addresses;
    this.callerShares = sharesOf(own);
    // several spilling deployments: their callers weigh alike (rows do not say which one spilled)
    this.spilledCallerShares = spilling.length === 0 ? this.callerShares : addresses.map((_, i) => spilling.reduce((sum, callers) => sum + (sharesOf(callers)[i] ?? 0), 0) / spilling.length);
    this.operationName = deployment.kind === "chat" ? "ChatCompletions_Create" : "Embeddings_Create";
  }

  moveTo(minuteMs: number): void {
    this.minuteMs = minuteMs;
    this.traffic.move(this.t, minuteMs);
    for (let c = 0; c < CELLS; c++) this.seeds[c] = hashKey(this.seed, this.key, minuteMs / MINUTE_MS, STAGE_CELL + c);
  }

  /** Rows in the cell this minute: the metrics' AzureOpenAIRequests count for that stream type and status. */
  count(cell: number): number {
    return this.t.count(cellStream(cell), cellStatus(cell));
  }

  /** The minute's mean DurationMs of the cell (NaN when it has no rows). */
  meanMs(cell: number): number {
    const latencies = this.t.latencies;
    if (cellStream(cell) === 0 && isSuccess(cell)) {
      const lastByte = latencies[LATENCY_SLOT.lastByte * 3] ?? Number.NaN;
      if (!Number.isNaN(lastByte)) return lastByte;
    }
    return latencies[cell * 3] ?? Number.NaN;
  }

  private cellSeed(cell: number): number {
    return this.seeds[cell] ?? 0;
  }

  /**
   * DurationMs of the cell's rows, in row order: log-normal around the minute's mean, scaled so
   * the rows average to it. The array is reused by the next call.
   */
  durations(cell: number): Float64Array {
    const n = this.count(cell);
    if (this.durationBuffer.length < n) this.durationBuffer = new Float64Array(Math.max(n, this.durationBuffer.length * 2));
    const out = this.durationBuffer.subarray(0, n);
    if (n === 0) return out;
    const rnd = this.random.reseed(this.cellSeed(cell));
    const spread = isSuccess(cell) ? SPREAD.success : SPREAD.error;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const b = rnd.bits();
      const w = spread[(b & 0xff) + ((b >>> 8) & 0xff) + ((b >>> 16) & 0xff) + (b >>> 24)] ?? 1;
      out[i] = w;
      sum += w;
    }
    const scale = (this.meanMs(cell) * n) / sum;
    for (let i = 0; i < n; i++) out[i] = Math.max(1, Math.round((out[i] ?? 0) * scale));
    return out;
  }

  /** When row i of the cell was logged, in ms after the minute's start. */
  offsetMs(cell: number, i: number): number {
    return hashKey(this.cellSeed(cell), i, ROW_TIME, 0) % MINUTE_MS;
  }

  /** Rows of the cell this minute that another deployment spilled into this one: the cell's last rows. */
  spilled(cell: number): number {
    return this.t.spilledInto(cellStream(cell), cellStatus(cell));
  }

  /** Index into callerAddresses of row i's caller. */
  caller(cell: number, i: number): number {
    const shares = i < this.count(cell) - this.spilled(cell) ? this.callerShares : this.spilledCallerShares;
    return pickAt(shares, hashKey(this.cellSeed(cell), i, ROW_CALLER, 0) / 4294967296);
  }

  correlationId(cell: number, i: number): string {
    return demoGuid(this.cellSeed(cell), i, ROW_ID, 0);
  }
}
