// A verdict first: "is anything wrong / is X down" answered in one line before the figures. A pure
// function over the answer's own figures (the catalog's success, throttle and error rates, latency
// of successful calls vs the answer's baseline), judged by a table of checks whose thresholds are
// configuration (`verdict:` in aoai.config.yaml), so the line always agrees with the numbers below it.
import type { Dimension } from "../queries/catalog.ts";
import type { FigureId, Question } from "../queries/question.ts";
import type { Resource } from "../queries/resources.ts";
import type { MetricResult, QueryAnswer, SeriesResult } from "../queries/result.ts";
import { change } from "../queries/result.ts";
import { dimensionLabel, formatValue } from "./format.ts";
import type { Tone } from "./message.ts";

/** `verdict:` in the configuration: percentages of calls, and the latency change in % of the baseline. */
export interface VerdictThresholds {
  /** Degraded when more than this % of calls were answered 429. */
  readonly throttleRate: number;
  /** Degraded when more than this % of calls failed (4xx + 5xx, 429s included). */
  readonly errorRate: number;
  /** Degraded when fewer than this % of calls succeeded (2xx). */
  readonly successRate: number;
  /** Degraded when successful calls are more than this % slower than the baseline. */
  readonly latencyChange: number;
  /** Rates and latency are judged only with at least this many calls in the window (a few calls make noisy shares). */
  readonly minCalls: number;
}

export const DEFAULT_VERDICT: VerdictThresholds = { throttleRate: 5, errorRate: 5, successRate: 95, latencyChange: 50, minCalls: 20 };

/** What a row (a deployment) is: calls and none successful; over a threshold; no calls while others had traffic; nothing for anyone; fine. */
export type Health = "down" | "degraded" | "idle" | "no data" | "up";

/** Where a check reads its figure: a derived figure of the catalog, or a catalog metric's plain figure. */
type FigureSource = { readonly figure: FigureId } | { readonly metric: string };

/**
 * The last minutes of a live window are judged on their own too: a spike that began minutes ago is
 * diluted by the rest of the hour (the demo's gpt-4o at 10:10 is +48 % over the hour, under the 50 %
 * threshold, and +240 % over its last 10 minutes). Ten minutes still hold eight covered minutes when
 * data is two minutes late and enough calls for minCalls; fewer would judge one or two noisy minutes.
 */
export const RECENT_MINUTES = 10;

/** A check of the window's last RECENT_MINUTES, from the PT1M points the answer already has. */
interface Recent {
  /** The whole-window check this one looks behind: not judged again when that one already holds. */
  readonly twin: Check["id"];
  /** The row's points as counts ÷ `by`'s counts × 100 ("share"), or as averages weighted by `by`'s counts ("weighted"). */
  readonly combine: "share" | "weighted";
  readonly by: FigureSource;
}

interface Check {
  readonly id: "down" | "throttled" | "erroring" | "unsuccessful" | "slow" | "throttled-recently" | "erroring-recently" | "slow-recently";
  readonly source: FigureSource;
  /** The figure itself, or its change vs the answer's baseline in % (null without a baseline). */
  readonly measure: "value" | "change";
  readonly comparison: "above" | "below" | "at most";
  /** A threshold from the configuration, or a fixed number. */
  readonly threshold: keyof VerdictThresholds | number;
  readonly health: "down" | "degraded";
  readonly needsMinCalls: boolean;
  /** Judged over the window's last minutes only (live windows). */
  readonly recent?: Recent;
  /** The finding as the verdict line says it. */
  readonly say: (f: Finding) => string;
  /** The rule as the footnote says it. */
  readonly rule: (limit: number) => string;
  /** What "normal" meant, said when everything is ("success rate ≥ 95 %"); absent: not worth saying. */
  readonly normal?: (limit: number, baseline: string) => string;
}

export interface Finding {
  readonly check: Check["id"];
  readonly value: number;
  /** The figure the value is judged on (a rate, or the latency for "slow"). */
  readonly figure: number;
  readonly previous: number | null;
  readonly limit: number;
  /** The calls the figure is over: the window's, or its last minutes' for a recent check. */
  readonly calls: number;
  readonly baseline: string;
  /** Set when judged over the window's last minutes only. */
  readonly recentMinutes?: number;
}

const pct = (v: number) => formatValue(v, "Percent");
const ms = (v: number) => formatValue(v, "MilliSeconds");
const count = (v: number) => formatValue(Math.round(v), "Count");
/** A share's calls: the rate times the calls, which is the count it was computed from. */
const of = (f: Finding) => `${count((f.figure * f.calls) / 100)} of ${count(f.calls)}`;

/** The plain request count: the denominator every share of the answer has. */
const CALLS: FigureSource = { metric: "AzureOpenAIRequests" };
/** Its points are the 2xx calls per minute: the weights of successful calls' latency. */
const SUCCESS: FigureSource = { figure: "success-rate" };
const LAST = `in the last ${String(RECENT_MINUTES)} min`;

/** In order: the first that holds names a row's state in the verdict line; the others are listed under it. */
export const CHECKS: readonly Check[] = [
  { id: "down", source: { figure: "success-rate" }, measure: "value", comparison: "at most", threshold: 0, health: "down", needsMinCalls: false, say: (f) => `none of ${count(f.calls)} calls succeeded`, rule: () => "down when calls came and none succeeded" },
  { id: "throttled", source: { figure: "throttle-rate" }, measure: "value", comparison: "above", threshold: "throttleRate", health: "degraded", needsMinCalls: true, say: (f) => `${pct(f.value)} of calls throttled (${of(f)} answered 429)`, rule: (l) => `throttle rate over ${pct(l)}`, normal: (l) => `throttled ≤ ${pct(l)}` },
  { id: "erroring", source: { figure: "error-rate" }, measure: "value", comparison: "above", threshold: "errorRate", health: "degraded", needsMinCalls: true, say: (f) => `${pct(f.value)} of calls failed (${of(f)} answered 4xx or 5xx)`, rule: (l) => `error rate over ${pct(l)}`, normal: (l) => `errors ≤ ${pct(l)}` },
  { id: "unsuccessful", source: { figure: "success-rate" }, measure: "value", comparison: "below", threshold: "successRate", health: "degraded", needsMinCalls: true, say: (f) => `only ${pct(f.value)} of calls succeeded (${of(f)} answered 2xx)`, rule: (l) => `success rate under ${pct(l)}`, normal: (l) => `success rate ≥ ${pct(l)}` },
  { id: "slow", source: { metric: "AzureOpenAITimeToResponse" }, measure: "change", comparison: "above", threshold: "latencyChange", health: "degraded", needsMinCalls: true, say: (f) => `successful calls ${pct(f.value)} slower than ${f.baseline} (${ms(f.figure)} vs ${ms(f.previous ?? 0)})`, rule: (l) => `successful calls' latency over +${pct(l)} vs the baseline`, normal: (l, b) => `latency within +${pct(l)} of ${b}` },
  { id: "throttled-recently", source: { figure: "throttle-rate" }, measure: "value", comparison: "above", threshold: "throttleRate", health: "degraded", needsMinCalls: true, recent: { twin: "throttled", combine: "share", by: CALLS }, say: (f) => `${pct(f.value)} of calls throttled ${LAST} (${of(f)} answered 429)`, rule: (l) => `throttle rate over ${pct(l)}` },
  { id: "erroring-recently", source: { figure: "error-rate" }, measure: "value", comparison: "above", threshold: "errorRate", health: "degraded", needsMinCalls: true, recent: { twin: "erroring", combine: "share", by: CALLS }, say: (f) => `${pct(f.value)} of calls failed ${LAST} (${of(f)} answered 4xx or 5xx)`, rule: (l) => `error rate over ${pct(l)}` },
  { id: "slow-recently", source: { metric: "AzureOpenAITimeToResponse" }, measure: "change", comparison: "above", threshold: "latencyChange", health: "degraded", needsMinCalls: true, recent: { twin: "slow", combine: "weighted", by: SUCCESS }, say: (f) => `successful calls' time to response ${ms(f.figure)} ${LAST}, +${pct(f.value)} vs ${f.baseline} (${ms(f.previous ?? 0)})`, rule: (l) => `successful calls' latency over +${pct(l)} vs the baseline` },
];

/** Short names of the checks for the lines under the verdict ("throttled 39.6 % (over 5 %)"). */
const CHECK_NAME: Readonly<Record<Check["id"], string>> = {
  down: "no call succeeded",
  throttled: "throttle rate",
  erroring: "error rate",
  unsuccessful: "success rate",
  slow: "latency of successful calls",
  "throttled-recently": `throttle rate ${LAST}`,
  "erroring-recently": `error rate ${LAST}`,
  "slow-recently": `latency of successful calls ${LAST}`,
};

const COMPARE: Readonly<Record<Check["comparison"], (v: number, limit: number) => boolean>> = {
  above: (v, l) => v > l,
  below: (v, l) => v < l,
  "at most": (v, l) => v <= l,
};

export interface Judged {
  /** The row's value of the split dimension (a deployment). */
  readonly name: string;
  readonly resource: string;
  readonly health: Health;
  readonly calls: number | null;
  /** The success rate (2xx ÷ all), said with "up" and "degraded". */
  readonly success: number | null;
  /** Every check that held, in table order. */
  readonly findings: readonly Finding[];
}

export interface Verdict {
  readonly window: string;
  readonly baseline: string;
  /** What the rows are ("deployment"). */
  readonly noun: string;
  readonly rows: readonly Judged[];
  /** Rows the person asked about ("is gpt-4o down?"); empty for "is anything wrong?". */
  readonly focus: readonly string[];
  readonly thresholds: VerdictThresholds;
  readonly multiResource: boolean;
  /** The window's last RECENT_MINUTES were judged on their own too (a live window of PT1M points). */
  readonly recent: boolean;
}

export interface VerdictInput {
  readonly answer: QueryAnswer;
  readonly splitBy: Dimension | undefined;
  readonly focus: readonly string[];
  /** Deployments each resource reports (by resource id): a listed one without a row had no calls. */
  readonly listed: ReadonlyMap<string, readonly string[]>;
  readonly thresholds: VerdictThresholds;
}

export function judge(input: VerdictInput): Verdict {
  const { answer, thresholds } = input;
  const recent = answer.live === true;
  const baseline = answer.baseline?.label ?? "the previous window";
  const byResource = new Map<string, MetricResult[]>();
  for (const r of answer.results) byResource.set(r.resource.id, [...(byResource.get(r.resource.id) ?? []), r]);
  const focus = input.focus.map((f) => f.toLowerCase());
  const rows = [...byResource.entries()].flatMap(([id, results]) => {
    const calls = find(results, CALLS);
    // unsplit (a follow-up narrowed it to one deployment): one row for the whole answer
    const whole = input.focus.join(", ") || "all deployments";
    const rowsOf = (r: MetricResult | undefined) => new Map((r?.series ?? []).map((s) => [key(s, input.splitBy, whole), s]));
    const callRows = rowsOf(calls);
    const listed = input.splitBy === "ModelDeploymentName" ? (input.listed.get(id) ?? []) : [];
    const names = input.splitBy === undefined ? [whole] : [...new Set([...callRows.keys(), ...listed, ...input.focus])];
    const traffic = [...callRows.values()].some((s) => (s.value ?? 0) > 0);
    const checkRows = new Map(CHECKS.map((c) => [c, rowsOf(find(results, c.source))]));
    const byRows = new Map(CHECKS.flatMap((c) => (c.recent ? [[c, rowsOf(find(results, c.recent.by))] as const] : [])));
    const successRows = rowsOf(find(results, SUCCESS));
    const resource = results[0]?.resource.name ?? id;
    // the last minutes only from PT1M points, which every figure of a live hour has
    const perMinute = results.every((r) => r.error !== undefined || r.provenance.interval === "PT1M");
    const since = recent && perMinute ? Date.parse(answer.window.end) - RECENT_MINUTES * 60_000 : undefined;
    return names.map((name): Judged => {
      const n = callRows.get(name)?.value ?? null;
      const success = successRows.get(name)?.value ?? null;
      if (n === null || n === 0) return { name, resource, health: traffic ? "idle" : "no data", calls: n, success, findings: [] };
      const lastCalls = since === undefined ? 0 : sum(callRows.get(name), since);
      const findings: Finding[] = [];
      for (const c of CHECKS) {
        if (c.recent && (since === undefined || findings.some((f) => f.check === c.recent?.twin))) continue;
        const calls = c.recent ? lastCalls : n;
        if (calls === 0 || (c.needsMinCalls && calls < thresholds.minCalls)) continue;
        const row = checkRows.get(c)?.get(name);
        const figure = row === undefined ? null : c.recent && since !== undefined ? recentFigure(c.recent, row, byRows.get(c)?.get(name), calls, since) : row.value;
        const value = row === undefined || figure === null ? null : c.measure === "value" ? figure : percentChange(figure, row.previous);
        const limit = limitOf(c, thresholds);
        if (value === null || row === undefined || figure === null || !COMPARE[c.comparison](value, limit)) continue;
        findings.push({ check: c.id, value, figure, previous: row.previous, limit, calls, baseline, ...(c.recent ? { recentMinutes: RECENT_MINUTES } : {}) });
      }
      const first = CHECKS.find((c) => c.id === findings[0]?.check);
      return { name, resource, health: first?.health ?? "up", calls: n, success, findings };
    });
  });
  const wanted = focus.length === 0 || input.splitBy === undefined ? rows : rows.filter((r) => focus.includes(r.name.toLowerCase()));
  return { window: answer.window.label, baseline, noun: input.splitBy ? dimensionLabel(input.splitBy) : "deployment", rows: focus.length === 0 ? rows : [...wanted, ...rows.filter((r) => !wanted.includes(r))], focus: input.focus, thresholds, multiResource: byResource.size > 1, recent };
}

function find(results: readonly MetricResult[], source: FigureSource): MetricResult | undefined {
  return results.find((r) => {
    if (r.item !== undefined || r.error !== undefined) return false;
    if ("figure" in source) return r.figure === source.figure;
    // the plain figure of the metric: no derived figure, no StatusCode clause of its own
    return r.figure === undefined && r.metric === source.metric && (source !== CALLS || !(r.provenance.filter ?? "").includes("StatusCode"));
  });
}

function key(s: SeriesResult, splitBy: Dimension | undefined, whole: string): string {
  return splitBy === undefined ? whole : (s.dimensions[splitBy] ?? "");
}

function percentChange(value: number, previous: number | null): number | null {
  const c = change(value, previous);
  return c === null ? null : c * 100;
}

/** A row's points from `since` on, added up (no points, or points without data, add nothing). */
function sum(s: SeriesResult | undefined, since: number): number {
  return (s?.points ?? []).reduce((t, p) => (Date.parse(p.time) >= since ? t + (p.value ?? 0) : t), 0);
}

/** The figure of the window's last minutes: a share of their calls, or an average weighted by `by`'s counts per minute. */
function recentFigure(r: Recent, row: SeriesResult, by: SeriesResult | undefined, calls: number, since: number): number | null {
  if (r.combine === "share") return (sum(row, since) / calls) * 100;
  const weights = new Map((by?.points ?? []).map((p) => [p.time, p.value ?? 0]));
  let n = 0;
  let weighted = 0;
  for (const p of row.points) {
    const w = weights.get(p.time) ?? 0;
    if (p.value === null || Date.parse(p.time) < since || w <= 0) continue;
    n += w;
    weighted += p.value * w;
  }
  return n === 0 ? null : weighted / n;
}

/** The verdict as the answer says it: the line at the top, its tone, a line per row that is off, and the rules. */
export interface SaidVerdict {
  /** The worst state of the rows the line is about. */
  readonly state: Health;
  readonly tone: Tone;
  readonly line: string;
  readonly details: readonly string[];
  readonly rules: string;
}

const TONE: Readonly<Record<Health, Tone>> = { down: "firing", degraded: "warning", "no data": "warning", idle: "ok", up: "ok" };
const RANK: readonly Health[] = ["down", "degraded", "no data", "idle", "up"];

export function sayVerdict(v: Verdict): SaidVerdict {
  const named = (r: Judged) => `${r.name}${v.multiResource ? ` [${r.resource}]` : ""}`;
  const shown = focused(v);
  const worst = RANK.find((h) => shown.some((r) => r.health === h)) ?? "no data";
  // a deployment asked about by name that had no calls is worth a look; in the overview it is a remark
  const tone = shown.length === 0 || (v.focus.length > 0 && worst === "idle") ? "warning" : TONE[worst];
  const line = v.focus.length > 0 ? focusLine(v, shown, named) : overviewLine(v, named);
  const details = shown.filter((r) => r.health !== "up").map((r) => detail(r, named));
  const limits = CHECKS.filter((c) => c.recent === undefined).map((c) => c.rule(limitOf(c, v.thresholds)));
  const lately = CHECKS.filter((c) => c.recent !== undefined).map((c) => c.rule(limitOf(c, v.thresholds)));
  const recentRules = v.recent ? ` The last ${String(RECENT_MINUTES)} min are judged on their own too: ${lately.join(", ")}.` : "";
  const rules = `Checked per ${v.noun}: ${limits[0] ?? ""}; degraded with ${limits.slice(1).join(", ")} (rates and latency judged from ${count(v.thresholds.minCalls)} calls).${recentRules} Thresholds: \`verdict:\` in aoai.config.yaml.`;
  return { state: worst, tone, line, details, rules };
}

/** The rows the person asked about; every row for "is anything wrong?". */
function focused(v: Verdict): readonly Judged[] {
  if (v.focus.length === 0) return v.rows;
  const wanted = new Set(v.focus.map((f) => f.toLowerCase()));
  const hits = v.rows.filter((r) => wanted.has(r.name.toLowerCase()));
  return hits.length > 0 ? hits : v.rows;
}

function overviewLine(v: Verdict, named: (r: Judged) => string): string {
  const off = v.rows.filter((r) => r.health === "down" || r.health === "degraded").sort((a, b) => RANK.indexOf(a.health) - RANK.indexOf(b.health));
  const quiet = v.rows.filter((r) => r.health === "idle" || r.health === "no data");
  const up = v.rows.filter((r) => r.health === "up");
  const plural = (n: number) => `${n} ${v.noun}${n === 1 ? "" : "s"}`;
  const when = during(v.window);
  if (v.rows.length === 0 || v.rows.every((r) => r.health === "no data")) {
    return `No data ${when}: Azure Monitor has no calls for any ${v.noun}, so nothing can be judged yet.`;
  }
  const quietText = quiet.length === 0 ? [] : [`no data for ${list(quiet.map(named))} (no calls${quiet.some((r) => r.health === "idle") ? " while others had traffic" : ""})`];
  if (off.length === 0) {
    const normal = CHECKS.flatMap((c) => (c.normal ? [c.normal(limitOf(c, v.thresholds), v.baseline)] : []));
    const all = up.length === 1 ? `${named(up[0]!)} looks normal` : quiet.length === 0 ? `All ${plural(up.length)} look normal` : `${plural(up.length)} look normal`;
    return `${[`${all} ${when} (${normal.join(", ")})`, ...quietText].join("; ")}.`;
  }
  // a finding of the last minutes says its own span; the window's share the one `when` after them
  const said = (r: Judged) => `${named(r)}: ${say(r.findings[0]!)}`;
  const whole = off.filter((r) => !isRecent(r.findings[0]));
  const offText = [...(whole.length === 0 ? [] : [`${whole.map(said).join("; ")} ${when}`]), ...off.filter((r) => isRecent(r.findings[0])).map(said)];
  const others = up.length === 0 ? [] : [up.length <= 2 ? `${list(up.map(named))} look${up.length === 1 ? "s" : ""} normal` : `the other ${plural(up.length)} look normal`];
  return `${[...offText, ...others, ...quietText].join("; ")}.`;
}

function focusLine(v: Verdict, shown: readonly Judged[], named: (r: Judged) => string): string {
  const when = during(v.window);
  const succeeded = (r: Judged) => (r.success === null ? "" : `; ${pct(r.success)} of calls succeeded`);
  return shown
    .map((r) => {
      const f = r.findings[0];
      switch (r.health) {
        case "down":
          return `${named(r)} is down: ${f ? say(f) : "no call succeeded"} ${when}.`;
        case "degraded":
          if (f?.recentMinutes !== undefined) return `${named(r)} is degraded (${CHECKS.find((c) => c.id === f.check)?.recent?.twin ?? f.check} ${LAST}), not down: ${say(f)}${succeeded(r)} ${when}.`;
          return `${named(r)} is degraded (${f?.check ?? "over a threshold"}), not down: ${f ? say(f) : ""} ${when}${f?.check === "unsuccessful" ? "" : succeeded(r)}.`;
        case "idle":
          return `${named(r)}: no data, it had no calls ${when} while other ${v.noun}s had traffic (idle).`;
        case "no data":
          return `${named(r)}: no data, Azure Monitor has no calls for any ${v.noun} ${when}, so it can't be told whether it is down.`;
        case "up":
          return `${named(r)} is up: ${count(r.calls ?? 0)} calls ${when}${succeeded(r)}, nothing over its thresholds.`;
      }
    })
    .join(" ");
}

/** "in the last 1 h", "today", "since 09:00"; other windows in parentheses. */
function during(label: string): string {
  if (label.startsWith("last ")) return `in the ${label}`;
  return /^(?:today|yesterday|this |since )/.test(label) ? label : `(${label})`;
}

function limitOf(c: Check, t: VerdictThresholds): number {
  return typeof c.threshold === "number" ? c.threshold : t[c.threshold];
}

function detail(r: Judged, named: (r: Judged) => string): string {
  if (r.health === "idle" || r.health === "no data") return `${named(r)} — ${r.health === "idle" ? "no data (idle)" : "no data"}: no calls in the window.`;
  const sign = (f: Finding) => (CHECKS.find((c) => c.id === f.check)?.measure === "change" ? "+" : "");
  return `${named(r)} — ${r.health}: ${r.findings.map((f) => (f.check === "down" ? CHECK_NAME.down : `${CHECK_NAME[f.check]} ${sign(f)}${pct(f.value)} (${f.check === "unsuccessful" ? "under" : "over"} ${sign(f)}${pct(f.limit)})`)).join(", ")}.`;
}

function isRecent(f: Finding | undefined): boolean {
  return f?.recentMinutes !== undefined;
}

function say(f: Finding): string {
  return CHECKS.find((c) => c.id === f.check)?.say(f) ?? "";
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] ?? ""}`;
}

/** The verdict of an answer to a verdict question (question.verdict), judged against the resources' deployment lists. */
export function verdictFor(question: Question, answer: QueryAnswer, resources: readonly Resource[] | undefined, thresholds: VerdictThresholds): { readonly verdict?: Verdict } {
  if (question.verdict === undefined) return {};
  const listed = new Map((resources ?? []).map((r) => [r.id, r.deployments]));
  return { verdict: judge({ answer, splitBy: question.splitBy, focus: question.verdict.focus, listed, thresholds }) };
}
