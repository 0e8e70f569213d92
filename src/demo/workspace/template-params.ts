// The bound values of a template (LogsRequest.template.params, as log-templates.ts and
// absence-template.ts bind them), read back for the simulated workspace. They were validated
// when bound; a value of the wrong shape here is a bug in the caller, not a user's mistake.
import type { LogQuestion } from "../../queries/table-questions.ts";
import { DEMO_DEPLOYMENTS, DEMO_RESOURCE_ID, type DemoDeployment } from "../demo-resource.ts";

export type StatusFilter = NonNullable<LogQuestion["status"]>;

export interface WorkspaceParams {
  /** Epoch ms: rows with start ≤ TimeGenerated < end. */
  readonly start: number;
  readonly end: number;
  /** The demo deployments the query reads: on the asked resources, narrowed to the asked names (in~). */
  readonly deployments: readonly DemoDeployment[];
  readonly percentiles: readonly number[];
  readonly streamType?: string;
  readonly limit: number;
  readonly status?: StatusFilter;
  /** absence: where the last row is looked for from. */
  readonly since?: number;
}

/** The templates' defaults when a value is absent (log-templates.ts). */
const DEFAULT_LIMIT = 10;
const DEFAULT_PERCENTILES = [50, 95, 99];

function fail(what: string): never {
  throw new Error(`demo workspace: template parameter ${what}`);
}

function instant(params: Readonly<Record<string, unknown>>, name: string): number {
  const v = params[name];
  const ms = typeof v === "string" ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms)) fail(`${name} is not an ISO instant: ${JSON.stringify(v) ?? "undefined"}`);
  return ms;
}

function strings(params: Readonly<Record<string, unknown>>, name: string): string[] {
  const v = params[name] ?? [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) fail(`${name} is not a list of strings`);
  return v;
}

function status(v: unknown): StatusFilter | undefined {
  if (v === undefined) return undefined;
  const s = v as { kind?: unknown; code?: unknown; prefix?: unknown };
  if (s.kind === "exact" && typeof s.code === "string") return { kind: "exact", code: s.code };
  if (s.kind === "class" && typeof s.prefix === "string") return { kind: "class", prefix: s.prefix };
  return fail(`status is not {kind, code|prefix}: ${JSON.stringify(v) ?? ""}`);
}

export function readParams(params: Readonly<Record<string, unknown>>): WorkspaceParams {
  const resources = strings(params, "resourceIds").map((id) => id.toLowerCase());
  const names = strings(params, "deployments").map((d) => d.toLowerCase());
  const onDemo = resources.includes(DEMO_RESOURCE_ID.toLowerCase());
  const deployments = onDemo ? DEMO_DEPLOYMENTS.filter((d) => names.length === 0 || names.includes(d.name.toLowerCase())) : [];
  const percentiles = params.percentiles ?? DEFAULT_PERCENTILES;
  if (!Array.isArray(percentiles) || !percentiles.every((p) => typeof p === "number")) fail("percentiles is not a list of numbers");
  const limit = params.limit ?? DEFAULT_LIMIT;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1) fail("limit is not a positive integer");
  const streamType = params.streamType;
  if (streamType !== undefined && typeof streamType !== "string") fail("streamType is not a string");
  const st = status(params.status);
  return {
    start: instant(params, "start"),
    end: instant(params, "end"),
    deployments,
    percentiles,
    limit,
    ...(streamType === undefined ? {} : { streamType }),
    ...(st === undefined ? {} : { status: st }),
    ...(params.since === undefined ? {} : { since: instant(params, "since") }),
  };
}

export function statusMatches(filter: StatusFilter | undefined, signature: string): boolean {
  if (filter === undefined) return true;
  return filter.kind === "exact" ? signature === filter.code : signature.startsWith(filter.prefix);
}

/** The column a status filter adds to errors-by-deployment (log-templates.ts: status_429, status_5xx). */
export function statusColumn(filter: StatusFilter): string {
  return filter.kind === "exact" ? `status_${filter.code}` : `status_${filter.prefix}xx`;
}
