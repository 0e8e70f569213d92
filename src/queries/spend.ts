// A spend estimate from an answered spend plan: each deployment's prompt and completion tokens
// (current window and baseline) priced by the model Azure says it runs, per the configured table.
// An estimate, said so everywhere: the catalog's SPEND_ESTIMATE has its wording and formula.
import type { MetricsResponse } from "./azure-metrics.ts";
import { SPEND_ESTIMATE } from "./catalog.ts";
import type { PlannedRequest } from "./plan.ts";
import { priceOf, TOKENS_PER_PRICE, type ModelPrice } from "./prices.ts";
import { DEFAULT_TOP } from "./question.ts";
import type { Resource } from "./resources.ts";
import type { MetricResult, Point, QueryAnswer, SeriesResult } from "./result.ts";
import type { SpendPlan } from "./spend-plan.ts";

type Responses = ReadonlyMap<PlannedRequest, MetricsResponse>;

/** One deployment's tokens and what they cost. */
interface Row {
  /** The split key of its token series ("(none)" when Azure left the dimension out). */
  readonly key: string;
  readonly deployment: string;
  readonly model: string | undefined;
  readonly price: ModelPrice | undefined;
  readonly prompt: number | null;
  readonly completion: number | null;
  readonly prevPrompt: number | null;
  readonly prevCompletion: number | null;
  readonly promptPoints: readonly Point[];
  readonly completionPoints: readonly Point[];
}

export const ESTIMATE_CAVEAT = "An estimate, not your bill: cached-input discounts, Batch and provisioned (PTU, billed per hour) pricing are not applied; your charges are in Azure Cost Management.";

/** prompt ÷ 1M × input price + completion ÷ 1M × output price; no tokens at all is no data. */
export function tokenCost(prompt: number | null, completion: number | null, price: ModelPrice): number | null {
  if (prompt === null && completion === null) return null;
  return ((prompt ?? 0) / TOKENS_PER_PRICE) * price.inputPer1M + ((completion ?? 0) / TOKENS_PER_PRICE) * price.outputPer1M;
}

export function estimateSpend(plan: SpendPlan, answer: QueryAnswer, responses: Responses): QueryAnswer {
  const { prices, shownBy, models: onlyModels } = plan.spend;
  const top = plan.spend.top ?? DEFAULT_TOP;
  const results: MetricResult[] = [];
  const notes: string[] = [];
  for (const resource of plan.resources) {
    const mine = answer.results.filter((r) => r.resource.id === resource.id);
    const prompt = mine.find((r) => r.metric === SPEND_ESTIMATE.inputMetric);
    const completion = mine.find((r) => r.metric === SPEND_ESTIMATE.outputMetric);
    if (!prompt || !completion) continue;
    const modelOf = deploymentModels(plan, resource, responses);
    const named = plan.question.filters.ModelDeploymentName;
    const rows = prompt.series
      .map((s): Row => {
        const raw = s.dimensions.ModelDeploymentName ?? "(none)";
        // filtered to one deployment, Azure may leave the dimension out of the series
        const deployment = raw === "(none)" && named?.length === 1 ? named[0]! : raw;
        const other = completion.series.find((c) => (c.dimensions.ModelDeploymentName ?? "(none)") === raw);
        const model = modelOf.get(deployment.toLowerCase());
        return { key: raw, deployment, model, price: model === undefined ? undefined : priceOf(prices, model), prompt: s.value, completion: other?.value ?? null, prevPrompt: s.previous, prevCompletion: other?.previous ?? null, promptPoints: s.points, completionPoints: other?.points ?? [] };
      })
      .filter((r) => onlyModels === undefined || (r.model !== undefined && onlyModels.some((m) => m.toLowerCase() === r.model?.toLowerCase())));
    const priced = rows.filter((r): r is Row & { price: ModelPrice } => r.price !== undefined);
    const cost = (r: Row & { price: ModelPrice }) => tokenCost(r.prompt, r.completion, r.price);
    const prevCost = (r: Row & { price: ModelPrice }) => tokenCost(r.prevPrompt, r.prevCompletion, r.price);
    const label = `${SPEND_ESTIMATE.label} (${prices.currency})`;
    const error = prompt.error ?? completion.error;
    const byKey = new Map<string, { value: number | null; previous: number | null; points: Point[] }>();
    for (const r of priced) {
      const key = shownBy === "ModelName" ? (r.model ?? "") : r.deployment;
      const acc = byKey.get(key) ?? { value: null, previous: null, points: [] };
      byKey.set(key, { value: add(acc.value, cost(r)), previous: add(acc.previous, prevCost(r)), points: addPoints(acc.points, costPoints(r)) });
    }
    const series: SeriesResult[] = [...byKey.entries()].map(([key, v]) => ({ dimensions: shownBy === undefined ? {} : { [shownBy]: key }, ...v }));
    series.sort((a, b) => (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || (b.value ?? 0) - (a.value ?? 0));
    const value = priced.reduce<number | null>((s, r) => add(s, cost(r)), null);
    const previous = priced.reduce<number | null>((s, r) => add(s, prevCost(r)), null);
    const points = priced.map(costPoints).reduce<Point[]>(addPoints, []);
    results.push({
      label,
      metric: `${SPEND_ESTIMATE.inputMetric},${SPEND_ESTIMATE.outputMetric}`,
      displayName: SPEND_ESTIMATE.label,
      aggregation: "Total",
      unit: SPEND_ESTIMATE.unit,
      resource: prompt.resource,
      ...(prompt.baseline ? { baseline: prompt.baseline } : {}),
      ...(prompt.freshness ? { freshness: prompt.freshness } : {}),
      value: error ? null : value,
      previous: error ? null : previous,
      points,
      ...(shownBy === undefined ? {} : { splitBy: shownBy }),
      series: shownBy === undefined ? [{ dimensions: {}, value, previous, points }] : series.slice(0, top),
      hiddenSeries: shownBy === undefined ? 0 : Math.max(0, series.length - top),
      notes: [],
      provenance: { ...prompt.provenance, metric: `${SPEND_ESTIMATE.inputMetric}, ${SPEND_ESTIMATE.outputMetric} (by ModelDeploymentName) × prices`, method: `${priced.length} of ${rows.length} deployments priced; ${SPEND_ESTIMATE.formula}`, formula: SPEND_ESTIMATE.formula },
      ...(error ? { error } : {}),
    });
    const onlyRows = onlyModels === undefined ? undefined : rows;
    results.push(tokensShown(prompt, shownBy, top, onlyRows, "prompt"), tokensShown(completion, shownBy, top, onlyRows, "completion"));
    notes.push(...spendNotes(rows, prices.currency, priced.map((r) => r.model ?? ""), plan.resources.length > 1 ? resource.name : undefined));
  }
  return { ...answer, topic: SPEND_ESTIMATE.topic, results, notes: [...new Set([...answer.notes, ...notes, ESTIMATE_CAVEAT])] };
}

/** Deployment (lower case) → the model Azure reports for it; the one with most calls if it changed within the span. */
function deploymentModels(plan: SpendPlan, resource: Resource, responses: Responses): Map<string, string> {
  const read = plan.requests.find((p) => p.purpose === "models" && p.resource === resource);
  const res = read && responses.get(read);
  const best = new Map<string, { model: string; calls: number }>();
  for (const ts of res?.value.flatMap((m) => m.timeseries) ?? []) {
    const dim = (name: string) => ts.metadatavalues?.find((mv) => mv.name?.value.toLowerCase() === name.toLowerCase())?.value;
    const deployment = dim("ModelDeploymentName");
    const model = dim("ModelName");
    if (deployment === undefined || model === undefined || model === "") continue;
    const calls = (ts.data ?? []).reduce((s, p) => s + (typeof p.total === "number" ? p.total : 0), 0);
    const key = deployment.toLowerCase();
    const seen = best.get(key);
    if (seen === undefined || calls > seen.calls) best.set(key, { model, calls });
  }
  return new Map([...best].map(([k, v]) => [k, v.model]));
}

/** The token figures under the estimate, shown the way the estimate is (by deployment, or one total). */
function tokensShown(r: MetricResult, shownBy: SpendPlan["spend"]["shownBy"], top: number, rows: readonly Row[] | undefined, side: "prompt" | "completion"): MetricResult {
  const { splitBy, ...rest } = r;
  const kept = rows === undefined ? r.series : r.series.filter((s) => rows.some((row) => row.key === (s.dimensions.ModelDeploymentName ?? "(none)")));
  const value = rows === undefined ? r.value : rows.reduce<number | null>((s, row) => add(s, side === "prompt" ? row.prompt : row.completion), null);
  const previous = rows === undefined ? r.previous : rows.reduce<number | null>((s, row) => add(s, side === "prompt" ? row.prevPrompt : row.prevCompletion), null);
  // tokens are read by deployment: shown that way when the estimate is, as one total otherwise
  if (shownBy === splitBy) return { ...r, value, previous, series: kept.slice(0, top), hiddenSeries: Math.max(0, kept.length - top) };
  return { ...rest, value, previous, series: [{ dimensions: {}, value, previous, points: r.points }], hiddenSeries: 0 };
}

function spendNotes(rows: readonly Row[], currency: string, pricedModels: readonly string[], resource: string | undefined): string[] {
  const on = resource === undefined ? "" : ` (${resource})`;
  const fmt = (v: number | null) => (v ?? 0).toLocaleString("en-US");
  const notes: string[] = [];
  const used = [...new Set(pricedModels)].sort();
  if (used.length > 0) {
    const list = used.map((m) => {
      const r = rows.find((row) => row.model === m)!.price!;
      return `${m} ${r.inputPer1M} input / ${r.outputPer1M} output`;
    });
    notes.push(`Prices used${on} (${currency} per 1M tokens, from \`prices:\`): ${list.join("; ")}.`);
  }
  for (const r of rows.filter((row) => row.price === undefined)) {
    const why = r.model === undefined ? "Azure reported no model for it over these windows" : `model ${r.model} has no entry in \`prices.models\``;
    notes.push(`Not in the estimate${on}: ${r.deployment} (${why}): ${fmt(r.prompt)} prompt and ${fmt(r.completion)} completion tokens.`);
  }
  if (rows.length > 0 && used.length === 0) notes.push(`No deployment${on} runs a priced model, so there is no estimate; add its model to \`prices.models\`.`);
  return notes;
}

function costPoints(r: Row & { price: ModelPrice }): Point[] {
  const byTime = new Map<string, { prompt: number | null; completion: number | null }>();
  for (const p of r.promptPoints) byTime.set(p.time, { prompt: p.value, completion: null });
  for (const p of r.completionPoints) byTime.set(p.time, { prompt: byTime.get(p.time)?.prompt ?? null, completion: p.value });
  return [...byTime.entries()].map(([time, v]) => ({ time, value: tokenCost(v.prompt, v.completion, r.price) }));
}

function addPoints(a: readonly Point[], b: readonly Point[]): Point[] {
  const byTime = new Map<string, number | null>(a.map((p) => [p.time, p.value]));
  for (const p of b) byTime.set(p.time, add(byTime.get(p.time) ?? null, p.value));
  return [...byTime.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([time, value]) => ({ time, value }));
}

function add(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : a + b;
}
