// Where log queries run: Log Analytics through LogsQueryClient (logs-client.ts), or the demo's
// simulated workspace, which answers each template from the demo traffic (src/demo/). The query
// layer sees only this interface. Failures are thrown as UserErrors (errors.ts, logs/log-errors.ts).
import type { LogsRequest, ResultTable } from "../table-answer.ts";

export type LogsOutcome =
  | { readonly status: "complete"; readonly table: ResultTable; readonly statistics?: string }
  /** A 200 carrying a PartialError: the rows returned, and why they may be incomplete. */
  | { readonly status: "partial"; readonly table: ResultTable; readonly error: string; readonly statistics?: string }
  /** 204: the workspace has no data at all for the query's scope. */
  | { readonly status: "no-data" };

export interface LogsBackend {
  /** "azure": a real workspace; "demo": templates only (raw KQL needs a real workspace). */
  readonly kind: "azure" | "demo";
  query(request: LogsRequest): Promise<LogsOutcome>;
}
