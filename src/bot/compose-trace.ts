// What a message answered and with which Azure requests, for the audit log: one short line per
// planned request (never the data that came back). Renderers ignore it.
import { createHash } from "node:crypto";
import type { MetricsRequest } from "../queries/plan.ts";
import { batchCallWords, listCallWords } from "../queries/sent-as.ts";
import type { ArmRequest, LogsRequest } from "../queries/table-answer.ts";
import type { MessageTrace } from "./message.ts";
import type { Reply } from "./reply.ts";

/** The outcome of a message that says what it did without a Reply behind it (schedules, usage notices). */
export const ANSWERED = "answered";

/** A first query line longer than this is cut: the hash names the whole query. */
const QUERY_LINE_CHARS = 80;

export function traceOf(reply: Reply): MessageTrace {
  switch (reply.kind) {
    case "help":
      return { outcome: "help", requests: [] };
    case "error":
      return { outcome: reply.code, requests: [] };
    case "answer":
    case "table":
      return { outcome: ANSWERED, requests: reply.answer.requests.map(describeRequest) };
  }
}

/**
 * "metrics aoai-prod AzureOpenAIRequests Total PT1H 2026-…Z/2026-…Z filter …", "logs law-prod
 * template failed-requests 2026-…/…", "logs law-prod query 3f2a…: AzureDiagnostics | …", "arm
 * deployments.list /subscriptions/…". A request that went with other accounts' as one batch call
 * names that call first ("metrics:getBatch swedencentral (6 accounts) aoai-prod …": one call for six),
 * so the audit's cut at AUDIT_REQUEST_CHARS never drops it; one the batch API was asked for and
 * that went as Metrics - List after all says so, and why, at the end.
 */
export function describeRequest(r: MetricsRequest | LogsRequest | ArmRequest): string {
  switch (r.api) {
    case "metrics":
      return [
        r.sentAs?.api === "metrics_batch" ? batchCallWords(r.sentAs) : "metrics",
        lastSegment(r.resourceId),
        r.metricnames,
        r.aggregation,
        r.interval,
        r.timespan,
        ...(r.filter === undefined ? [] : [`filter ${r.filter}`]),
        ...(r.top === undefined ? [] : [`top ${String(r.top)}`]),
        ...(r.covers !== undefined ? [`(one request for ${r.covers.map((c) => `${c.metricnames === undefined ? "" : `${c.metricnames} `}${c.window === "previous" ? "baseline" : "window"} ${c.timespan}`).join(" + ")})`] : r.window === "previous" ? ["(baseline)"] : []),
        ...(r.sentAs?.api === "metrics" ? [listCallWords(r.sentAs)] : []),
      ].join(" ");
    case "logs":
      return ["logs", lastSegment(r.workspace), r.template ? `template ${r.template.id}` : `query ${queryHash(r.query)}: ${firstLine(r.query)}`, r.timespan].join(" ");
    case "arm":
      return ["arm", r.operation, r.scope, ...(r.filter === undefined ? [] : [`filter ${r.filter}`])].join(" ");
  }
}

/** The first 12 hex digits of the query's SHA-256: the same query always reads the same. */
export function queryHash(query: string): string {
  return createHash("sha256").update(query, "utf8").digest("hex").slice(0, 12);
}

function firstLine(query: string): string {
  const line = query.trim().split(/\r?\n/, 1)[0]?.trim() ?? "";
  return line.length <= QUERY_LINE_CHARS ? line : `${line.slice(0, QUERY_LINE_CHARS - 1)}…`;
}

/** A resource or workspace by its name ("aoai-prod"), not its whole id. */
function lastSegment(id: string): string {
  return id.split("/").filter((s) => s !== "").pop() ?? id;
}
