// The answer to a TableQuestion (table-questions.ts) and to `doctor`: a typed table plus where it came
// from. Renderers lay the table out (Block Kit table, Adaptive Card table, aligned text); `--json`
// prints it as {"table": {"columns": [{"name","type"}], "rows": [[…]]}}; `--plan` prints `requests`.
import type { MetricsRequest } from "./plan.ts";
import type { PortalLink } from "./portal-links.ts";

/** Log Analytics column types (the query API's), plus "timestamp" for ISO times we add ourselves. */
export type ColumnType = "bool" | "datetime" | "dynamic" | "int" | "long" | "real" | "string" | "guid" | "decimal" | "timespan";

export interface ResultColumn {
  readonly name: string;
  readonly type: ColumnType;
}

/** A cell as read: numbers stay numbers, datetimes are ISO strings, null is "no value" (never shown as 0). */
export type Cell = string | number | boolean | null;

export interface ResultTable {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly Cell[])[];
}

/** One Log Analytics query as sent (shown by `aoai ask --plan`). */
export interface LogsRequest {
  readonly api: "logs";
  readonly workspace: string;
  readonly query: string;
  /** `<startISO>/<endISO>`. */
  readonly timespan: string;
  /** The template and its bound values; absent for raw `kql`. The demo answers templates from these. */
  readonly template?: { readonly id: string; readonly params: Readonly<Record<string, unknown>> };
  readonly serverTimeoutSeconds: number;
}

/** One Azure Resource Manager read (activity log, deployments, diagnostic settings, metric definitions). */
export interface ArmRequest {
  readonly api: "arm";
  /** e.g. "activityLogs.list", "deployments.list", "diagnosticSettings.list", "metricDefinitions.list". */
  readonly operation: string;
  readonly scope: string;
  readonly filter?: string;
}

export interface TableAnswer {
  readonly kind: "logs" | "kql" | "activity" | "quota" | "doctor";
  readonly topic: string;
  readonly zone: string;
  readonly window?: { readonly start: string; readonly end: string; readonly label: string };
  readonly table: ResultTable;
  /** Rows the table holds in full (raw kql keeps them all for the CSV) vs rows to show in chat. */
  readonly shownRows: number;
  /** Log Analytics gave a PartialError: the rows are what it returned, `partial` says why they may be incomplete. */
  readonly partial?: string;
  /** Said instead of the rows when there are none ("No RequestResponse rows in the window"). */
  readonly empty?: string;
  /** Lines said above the table (a verdict, a one-line summary). */
  readonly lines: readonly string[];
  readonly notes: readonly string[];
  /** Where each figure came from: workspace + KQL + timespan, or the ARM operation and scope. */
  readonly sources: readonly string[];
  /** Query statistics from Log Analytics (`include-statistics`), e.g. "12 ms, 4,210 rows scanned". */
  readonly statistics?: string;
  /** Everything sent: Log Analytics queries, ARM reads, and (quota) Metrics - List requests. */
  readonly requests: readonly (LogsRequest | ArmRequest | MetricsRequest)[];
  /** The same queries in the portal's Log Analytics (absent when the cloud's portal is unknown). */
  readonly links?: readonly PortalLink[];
}
