// The templates that return rows themselves: the latest failed requests, the `logs sample`
// starter (AzureDiagnostics | take 100) and the `logs metrics` starter (AzureMetrics | take 100).
// `take` may return any rows; the demo returns the newest ones, which is what a person wants to see.
import { findMetric } from "../../queries/catalog.ts";
import type { Cell, ResultColumn, ResultTable } from "../../queries/table-answer.ts";
import { DEMO_DEPLOYMENTS, DEMO_RESOURCE_ID, type DemoDeployment } from "../demo-resource.ts";
import { clearSamples, METRIC_MODELS, SAMPLE_WIDTH } from "../metric-cells.ts";
import { hashString } from "../seeded-random.ts";
import { trafficProfile } from "../traffic-profiles.ts";
import { CELLS, isSuccess, MinuteCalls, resultSignature, streamTypeName } from "./minute-calls.ts";
import { statusMatches } from "./template-params.ts";
import { rowInSpan, visibleSpan, walkMinutes, type Span } from "./window-walk.ts";
import type { WorkspaceRead } from "./workspace-read.ts";

const col = (name: string, type: ResultColumn["type"]): ResultColumn => ({ name, type });
const iso = (ms: number): string => new Date(ms).toISOString();
/** The ApiName the demo metrics carry (metric-cells.ts). */
const API_NAME = "Azure OpenAI API version 2024-10-21";
const SAMPLE_ROWS = 100;
const MINUTE_MS = 60_000;

interface LoggedCall {
  readonly at: number;
  readonly deployment: DemoDeployment;
  readonly operationName: string;
  readonly cell: number;
  readonly durationMs: number;
  readonly correlationId: string;
}

const newestFirst = (a: LoggedCall, b: LoggedCall): number => b.at - a.at || (a.correlationId < b.correlationId ? -1 : a.correlationId > b.correlationId ? 1 : 0);

/**
 * The newest `limit` rows of the deployment in the span whose cell passes `keep`, newest first.
 * Whole minutes are read until enough rows are found, so the rows are the newest ones.
 */
function newestCalls(q: WorkspaceRead, d: DemoDeployment, span: Span, limit: number, keep: (cell: number) => boolean): LoggedCall[] {
  const calls = new MinuteCalls(q.traffic, d);
  const found: LoggedCall[] = [];
  walkMinutes(
    calls,
    span,
    (whole) => {
      for (let cell = 0; cell < CELLS; cell++) {
        if (calls.count(cell) === 0 || !keep(cell)) continue;
        const durations = calls.durations(cell);
        for (let i = 0; i < durations.length; i++) {
          if (!whole && !rowInSpan(calls, cell, i, span)) continue;
          found.push({ at: calls.minuteMs + calls.offsetMs(cell, i), deployment: d, operationName: calls.operationName, cell, durationMs: durations[i] ?? 0, correlationId: calls.correlationId(cell, i) });
        }
      }
      return found.length >= limit;
    },
    true,
  );
  return found.sort(newestFirst).slice(0, limit);
}

function newestAcross(q: WorkspaceRead, limit: number, keep: (cell: number) => boolean): LoggedCall[] {
  const span = visibleSpan(q.params.start, q.params.end, q.landed);
  if (span === undefined) return [];
  return q.params.deployments.flatMap((d) => newestCalls(q, d, span, limit, keep)).sort(newestFirst).slice(0, limit);
}

/** The latest failed (non-2xx) requests, optionally of one status or class. */
export function failedRequests(q: WorkspaceRead): ResultTable {
  const columns = [col("TimeGenerated", "datetime"), col("OperationName", "string"), col("ResultSignature", "string"), col("DurationMs", "real"), col("CorrelationId", "string"), col("deployment", "string")];
  const rows = newestAcross(q, q.params.limit, (cell) => !isSuccess(cell) && statusMatches(q.params.status, resultSignature(cell)));
  return { columns, rows: rows.map((r) => [iso(r.at), r.operationName, resultSignature(r.cell), r.durationMs, r.correlationId, r.deployment.name]) };
}

/** .NET ticks, as properties_s carries requestTime and responseTime (exact: they exceed 2^53). */
function ticks(ms: number): string {
  return (BigInt(Math.round(ms)) * 10_000n + 621_355_968_000_000_000n).toString();
}

/** properties_s as the service writes it; lengths are plausible sizes for the call's tokens. */
function properties(r: LoggedCall): string {
  const p = trafficProfile(r.deployment.name);
  const h = hashString(r.correlationId);
  const spread = 0.5 + (h & 0xffff) / 65536;
  const ok = isSuccess(r.cell);
  const requestLength = 180 + Math.round(p.promptTokens * 4 * spread);
  const responseLength = !ok ? 180 + (h >>> 24) : r.deployment.kind === "embeddings" ? 33_792 + (h >>> 20) : 320 + Math.round(p.completionTokens * 4 * spread);
  const text = (s: string) => JSON.stringify(s);
  return (
    `{"apiName":${text(API_NAME)},"requestTime":${ticks(r.at - r.durationMs)},"requestLength":${String(requestLength)},` +
    `"responseTime":${ticks(r.at)},"responseLength":${String(responseLength)},"objectId":"","streamType":${text(streamTypeName(r.cell))},` +
    `"modelDeploymentName":${text(r.deployment.name)},"modelName":${text(r.deployment.model)},"modelVersion":${text(r.deployment.version)}}`
  );
}

/**
 * `logs sample`: the newest AzureDiagnostics rows. Only RequestResponse rows: the demo writes no
 * Audit or Trace rows, whose schema is not verified (see azure-monitor.md §8).
 */
export function sample(q: WorkspaceRead): ResultTable {
  const columns = [col("TimeGenerated", "datetime"), col("_ResourceId", "string"), col("Category", "string"), col("OperationName", "string"), col("DurationMs", "real"), col("ResultSignature", "string"), col("properties_s", "string")];
  const rows = newestAcross(q, SAMPLE_ROWS, () => true);
  const resource = DEMO_RESOURCE_ID.toLowerCase();
  return { columns, rows: rows.map((r) => [iso(r.at), resource, "RequestResponse", r.operationName, r.durationMs, resultSignature(r.cell), properties(r)]) };
}

/** Diagnostic settings export platform metrics except the few marked not exportable. */
const NOT_EXPORTED = new Set(["AzureOpenAIAvailabilityRate"]);

/**
 * `logs metrics`: AzureMetrics rows as AllMetrics exports them, one per metric and minute for the
 * whole account (no dimensions), summed from the same samples the metrics API serves.
 */
export function azureMetrics(q: WorkspaceRead): ResultTable {
  const columns = [col("TimeGenerated", "datetime"), col("MetricName", "string"), col("Total", "real"), col("Count", "real"), col("TimeGrain", "string"), col("UnitName", "string")];
  const span = visibleSpan(q.params.start, q.params.end, q.landed);
  const rows: Cell[][] = [];
  if (span === undefined || q.params.deployments.length === 0) return { columns, rows };
  const cursors = DEMO_DEPLOYMENTS.map((d) => q.traffic.cursor(d));
  const models = [...METRIC_MODELS].filter(([name]) => !NOT_EXPORTED.has(name));
  // a row is stamped with its minute's start: minutes starting inside the span
  const first = Math.ceil(span.start / MINUTE_MS) * MINUTE_MS;
  for (let m = Math.ceil(span.end / MINUTE_MS) * MINUTE_MS - MINUTE_MS; m >= first && rows.length < SAMPLE_ROWS; m -= MINUTE_MS) {
    for (const c of cursors) q.traffic.move(c, m);
    for (const [name, model] of models) {
      let count = 0;
      let total = 0;
      for (const c of cursors) {
        const cells = model.cells(c.deployment).length;
        if (cells === 0) continue;
        const out = new Float64Array(cells * SAMPLE_WIDTH);
        clearSamples(out);
        model.sample(c, out);
        for (let o = 0; o < out.length; o += SAMPLE_WIDTH) {
          count += out[o] ?? 0;
          total += out[o + 1] ?? 0;
        }
      }
      if (count > 0 && rows.length < SAMPLE_ROWS) rows.push([iso(m), name, total, count, "PT1M", findMetric(name)?.unit ?? "Count"]);
    }
  }
  return { columns, rows };
}
