// The ground truth for table-truth.test.ts: what the demo's request logs, quota and activity log
// must show, read straight from the traffic generator (the same per-minute counts the metrics
// serve), the demo's deployment plans and its scripted changes. Log rows land later than metrics
// (log-ingestion.ts), so log figures are summed over the minutes landed in the workspace, metric
// figures over those Azure Monitor shows (incident-truth.ts). Nothing in src/queries is used.
import { CAPACITY_CHANGES, capacityAt, DEPLOYMENT_PLANS } from "../../src/demo/deployment-limits.ts";
import { DEMO_DEPLOYMENTS } from "../../src/demo/demo-resource.ts";
import { LATENCY_SLOT, STATUS_CODES, STREAM_TYPES } from "../../src/demo/minute-traffic.ts";
import { DemoTraffic } from "../../src/demo/traffic.ts";
import { logsWindow } from "../../src/demo/workspace/log-ingestion.ts";
import { calls, MIN, perMinute, visible, type Span } from "./incident-truth.ts";

const SEED = 42;
const traffic = new DemoTraffic({ seed: SEED });
const S200 = STATUS_CODES.indexOf("200");

function deployment(name: string): (typeof DEMO_DEPLOYMENTS)[number] {
  const d = DEMO_DEPLOYMENTS.find((x) => x.name === name);
  if (!d) throw new Error(`no demo deployment ${name}`);
  return d;
}

/** [start, end) of the minutes whose RequestResponse rows are in the workspace at `now`. */
export function landedLogs(now: Date): Span {
  return logsWindow(SEED, now.getTime());
}

/** The whole minutes of `span` inside `within`; the questions here ask whole-minute windows, so no minute is cut. */
function minutesOf(span: Span, within: Span): number[] {
  if (span.start % MIN !== 0 || span.end % MIN !== 0) throw new Error("table truth reads whole minutes only");
  const out: number[] = [];
  for (let t = Math.max(span.start, within.start); t < Math.min(span.end, within.end); t += MIN) out.push(t);
  return out;
}

/** Request log rows of a deployment in the landed minutes of a window, as errors-by-deployment counts them. */
export interface LogCounts {
  readonly calls: number;
  readonly throttled429: number;
  readonly client4xx: number;
  readonly server5xx: number;
}

export function logCounts(name: string, span: Span, now: Date): LogCounts {
  const d = deployment(name);
  let all = 0;
  let c429 = 0;
  let c4 = 0;
  let c5 = 0;
  for (const m of minutesOf(span, landedLogs(now))) {
    const t = traffic.at(d, m);
    for (let s = 0; s < STREAM_TYPES.length; s++) {
      STATUS_CODES.forEach((code, st) => {
        const n = t.count(s, st);
        all += n;
        if (code === "429") c429 += n;
        if (code.startsWith("4")) c4 += n;
        if (code.startsWith("5")) c5 += n;
      });
    }
  }
  return { calls: all, throttled429: c429, client4xx: c4, server5xx: c5 };
}

/** Non-2xx calls of one minute by status code: the rows a "failed requests" table can show from that minute. */
export function failedInMinute(name: string, minuteMs: number): ReadonlyMap<string, number> {
  const t = traffic.at(deployment(name), minuteMs);
  const out = new Map<string, number>();
  STATUS_CODES.forEach((code, st) => {
    if (st === S200) return;
    let n = 0;
    for (let s = 0; s < STREAM_TYPES.length; s++) n += t.count(s, st);
    if (n > 0) out.set(code, n);
  });
  return out;
}

/**
 * Successful calls of a deployment and stream type in the landed minutes, and the mean of their
 * durations: a streamed call is logged until its stream ends (the minute's time to last byte), any
 * other call for its time to response (the issue: DurationMs is the full stream for streaming calls).
 */
export function successfulCalls(name: string, streamType: string, span: Span, now: Date): { calls: number; meanMs: number | null } {
  const d = deployment(name);
  const s = STREAM_TYPES.indexOf(streamType as (typeof STREAM_TYPES)[number]);
  if (s < 0) throw new Error(`no stream type ${streamType}`);
  let n = 0;
  let ms = 0;
  for (const m of minutesOf(span, landedLogs(now))) {
    const t = traffic.at(d, m);
    const k = t.count(s, S200);
    if (k === 0) continue;
    const lat = t.latencies;
    const mean = s === 0 && d.kind === "chat" ? (lat[LATENCY_SLOT.lastByte * 3] ?? Number.NaN) : (lat[(s * STATUS_CODES.length + S200) * 3] ?? Number.NaN);
    n += k;
    ms += mean * k;
  }
  return { calls: n, meanMs: n === 0 ? null : ms / n };
}

/** What a quota row must say for a deployment over a window, from the metric-visible minutes at `now`. */
export interface QuotaTruth {
  /** From the deployment's capacity at `now` and its per-unit grant (deployment-limits.ts); null when provisioned. */
  readonly tpmLimit: number | null;
  readonly rpmLimit: number | null;
  /** The busiest minute of TokenTransaction (prompt + completion tokens of successful calls) and of requests (all codes). */
  readonly peakTokens: number | null;
  readonly peakTokensAt: number | null;
  readonly peakRequests: number | null;
  readonly throttled: number;
  /** Provisioned only: the highest per-minute PTU utilisation. */
  readonly utilisationPeak: number | null;
}

export function quotaTruth(name: string, span: Span, now: Date): QuotaTruth {
  const plan = DEPLOYMENT_PLANS.find((p) => p.deployment === name);
  if (!plan) throw new Error(`no deployment plan for ${name}`);
  const capacity = capacityAt(name, now.getTime());
  const minutes = perMinute({ deployments: [name], codes: STATUS_CODES }, span, now);
  let peakTokens: { v: number; t: number } | undefined;
  let peakRequests: number | null = null;
  for (const m of minutes) {
    if (m.tokens > 0 && (peakTokens === undefined || m.tokens > peakTokens.v)) peakTokens = { v: m.tokens, t: m.t };
    if (m.calls > 0 && (peakRequests === null || m.calls > peakRequests)) peakRequests = m.calls;
  }
  let utilisationPeak: number | null = null;
  const d = deployment(name);
  for (const t of minutesOf(span, visible(now))) {
    const u = traffic.at(d, t).utilisation;
    if (u !== undefined && (utilisationPeak === null || u > utilisationPeak)) utilisationPeak = u;
  }
  return {
    tpmLimit: plan.tokensPerUnit === undefined ? null : capacity * plan.tokensPerUnit,
    rpmLimit: plan.requestsPerUnit === undefined ? null : capacity * plan.requestsPerUnit,
    peakTokens: peakTokens?.v ?? null,
    peakTokensAt: peakTokens?.t ?? null,
    peakRequests,
    throttled: calls({ deployments: [name], codes: ["429"] }, span, now),
    utilisationPeak,
  };
}

/** A share of a limit in percent as a table shows it: one decimal; no limit or no peak is no share. */
export function shareOf(value: number | null, limit: number | null): number | null {
  return value === null || limit === null ? null : Math.round((value / limit) * 1000) / 10;
}

/** The scripted capacity change of gpt-4o during its latency spike (every day at 10:02 UTC). */
export const SPIKE_CHANGE = (() => {
  const c = CAPACITY_CHANGES.find((x) => x.deployment === "gpt-4o" && x.utcSecondOfDay < 11 * 3600);
  if (!c) throw new Error("the demo has no capacity change during gpt-4o's spike");
  return c;
})();
