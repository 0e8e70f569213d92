// The ground truth for incident-questions.test.ts: the demo's raw per-minute traffic (requests by
// deployment × status code, their latencies, tokens), read straight from the traffic generator,
// and the minutes the demo lets Azure Monitor show at a given now (ingestion.ts). Every figure is
// summed and weighted here, by hand, in UTC: nothing in src/queries is used. Spilled requests count
// where Azure Monitor counts them: under the deployment that served them (gpt-4o), never under the
// provisioned one that spilled them (deployment-limits.ts); spilled() is their IsSpillover 'true' part.
import { DEMO_DEPLOYMENTS } from "../../src/demo/demo-resource.ts";
import { dataWindow } from "../../src/demo/ingestion.ts";
import { STATUS_CODES, STREAM_TYPES, TOKEN_SLOT } from "../../src/demo/minute-traffic.ts";
import { DemoTraffic } from "../../src/demo/traffic.ts";

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
const SEED = 42;
export const DEPLOYMENTS = DEMO_DEPLOYMENTS.map((d) => d.name);
export const CODES: readonly string[] = STATUS_CODES;

/** A set of status codes by the way people write it. */
export type Codes = "all" | "2xx" | "4xx" | "5xx" | "4xx+5xx" | "200" | "400" | "429" | "500" | "503";
export function codesOf(c: Codes): readonly string[] {
  if (c === "all") return CODES;
  if (c === "4xx+5xx") return CODES.filter((x) => x.startsWith("4") || x.startsWith("5"));
  if (c.endsWith("xx")) return CODES.filter((x) => x.startsWith(c.charAt(0)));
  return [c];
}

/** One deployment-minute: calls served and Σ(mean × calls) of time to response per status code, and tokens. */
interface Raw {
  readonly calls: readonly number[];
  /** Of `calls`, those another deployment spilled into this one, per status code. */
  readonly spilled: readonly number[];
  readonly msSum: readonly number[];
  readonly tokens: number;
}

const traffic = new DemoTraffic({ seed: SEED });
const memo = new Map<string, Raw>();

function raw(deployment: string, minuteMs: number): Raw {
  const key = `${deployment}@${String(minuteMs)}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const d = DEMO_DEPLOYMENTS.find((x) => x.name === deployment);
  if (!d) throw new Error(`no demo deployment ${deployment}`);
  const t = traffic.at(d, minuteMs);
  const calls = CODES.map(() => 0);
  const spilled = CODES.map(() => 0);
  const msSum = CODES.map(() => 0);
  const lat = t.latencies;
  for (let s = 0; s < STREAM_TYPES.length; s++) {
    for (let st = 0; st < CODES.length; st++) {
      const n = t.count(s, st);
      calls[st] = (calls[st] ?? 0) + n;
      spilled[st] = (spilled[st] ?? 0) + t.spilledInto(s, st);
      const mean = lat[(s * CODES.length + st) * 3] ?? Number.NaN;
      if (n > 0 && !Number.isNaN(mean)) msSum[st] = (msSum[st] ?? 0) + mean * n;
    }
  }
  const tally = t.tokenTallies;
  const prompt = tally[TOKEN_SLOT.prompt * 3] ?? Number.NaN;
  const completion = tally[TOKEN_SLOT.completion * 3] ?? Number.NaN;
  const out = { calls, spilled, msSum, tokens: (Number.isNaN(prompt) ? 0 : prompt) + (Number.isNaN(completion) ? 0 : completion) };
  memo.set(key, out);
  return out;
}

/** [start, end) of visible data at `now`: the demo's 30 days of history up to the first minute not ingested yet. */
export function visible(now: Date): { start: number; end: number } {
  return dataWindow(SEED, now.getTime());
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The visible whole minutes of a span. */
function minutes(span: Span, now: Date): number[] {
  const v = visible(now);
  const out: number[] = [];
  for (let t = Math.max(span.start, v.start); t < Math.min(span.end, v.end); t += MIN) out.push(t);
  return out;
}

export interface Selection {
  readonly deployments: readonly string[];
  readonly codes: readonly string[];
}

/** Per visible minute: calls, Σ ms, tokens of the selection. */
export function perMinute(sel: Selection, span: Span, now: Date): { t: number; calls: number; ms: number; tokens: number }[] {
  const idx = sel.codes.map((c) => CODES.indexOf(c));
  return minutes(span, now).map((t) => {
    let calls = 0;
    let ms = 0;
    let tokens = 0;
    for (const d of sel.deployments) {
      const r = raw(d, t);
      for (const i of idx) {
        calls += r.calls[i] ?? 0;
        ms += r.msSum[i] ?? 0;
      }
      tokens += r.tokens;
    }
    return { t, calls, ms, tokens };
  });
}

export function calls(sel: Selection, span: Span, now: Date): number {
  return perMinute(sel, span, now).reduce((s, m) => s + m.calls, 0);
}

/** Of calls(sel), those spilled into the selected deployments from a provisioned one (IsSpillover 'true'). */
export function spilled(sel: Selection, span: Span, now: Date): number {
  const idx = sel.codes.map((c) => CODES.indexOf(c));
  let n = 0;
  for (const t of minutes(span, now)) for (const d of sel.deployments) for (const i of idx) n += raw(d, t).spilled[i] ?? 0;
  return n;
}

/** Σ(avg × count) ÷ Σcount: the window's average time to response; null without calls. */
export function latency(sel: Selection, span: Span, now: Date): number | null {
  const ms = perMinute(sel, span, now);
  const n = ms.reduce((s, m) => s + m.calls, 0);
  return n === 0 ? null : ms.reduce((s, m) => s + m.ms, 0) / n;
}

export function tokens(deployments: readonly string[], span: Span, now: Date): number {
  return perMinute({ deployments, codes: [] }, span, now).reduce((s, m) => s + m.tokens, 0);
}

/** The span cut to the minutes visible at `now` (the newest one or two have not landed yet). */
export function covered(span: Span, now: Date): Span {
  return { start: span.start, end: Math.max(span.start, Math.min(span.end, visible(now).end)) };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
