// The "absence" template: how many RequestResponse rows each deployment wrote in the silent window,
// and when its last row arrived at all. The last row is looked for over a longer lookback than the
// window, so "the pipeline stopped" can say since when. Every value (resource ids, deployment names)
// is bound as a KQL string literal and the times come from planner Dates, so nothing a person typed
// can change the query's shape.
//
// Result columns (the demo's simulated workspace answers with the same):
//   _ResourceId (string), deployment (string), rows (long: rows in [start, end)), last_row (datetime: newest row since `since`)
import { kqlString } from "./kql-literal.ts";
import { iso } from "../time-window.ts";

export const ABSENCE_TEMPLATE = "absence";

/** How far back the last row is looked for: long enough to say "since Tuesday", short enough to stay cheap. */
export const ABSENCE_LOOKBACK_MINUTES = 7 * 24 * 60;

export interface AbsenceQuery {
  readonly resourceIds: readonly string[];
  /** Canonical deployment names; empty: every deployment that wrote rows. */
  readonly deployments: readonly string[];
  /** The silent window: rows are counted in [start, end). */
  readonly start: Date;
  readonly end: Date;
  /** Where the last row is looked for from (at or before start). */
  readonly since: Date;
}

/** The query's parameters as the LogsRequest carries them (the demo answers the template from these). */
export function absenceParams(q: AbsenceQuery): Readonly<Record<string, unknown>> {
  return { resourceIds: [...q.resourceIds], deployments: [...q.deployments], start: iso(q.start), end: iso(q.end), since: iso(q.since) };
}

export function absenceKql(q: AbsenceQuery): string {
  const list = (values: readonly string[]) => values.map(kqlString).join(", ");
  return [
    "AzureDiagnostics",
    `| where TimeGenerated >= datetime(${iso(q.since)}) and TimeGenerated < datetime(${iso(q.end)})`,
    '| where ResourceProvider == "MICROSOFT.COGNITIVESERVICES" and Category == "RequestResponse"',
    ...(q.resourceIds.length > 0 ? [`| where _ResourceId in~ (${list(q.resourceIds)})`] : []),
    "| extend deployment = tostring(parse_json(properties_s).modelDeploymentName)",
    ...(q.deployments.length > 0 ? [`| where deployment in~ (${list(q.deployments)})`] : []),
    `| summarize rows = countif(TimeGenerated >= datetime(${iso(q.start)})), last_row = max(TimeGenerated) by _ResourceId, deployment`,
    "| order by deployment asc",
  ].join("\n");
}
