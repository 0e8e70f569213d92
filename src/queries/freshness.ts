// How far Azure Monitor's data has arrived for a live window: metrics land minutes late, so the
// newest minutes of "last hour" are often empty for the whole resource. The plan reads the
// resource's newest minutes at PT1M (purpose "freshness"); this turns that response into coverage.
import type { MetricsResponse } from "./azure-metrics.ts";
import type { Plan, PlannedRequest } from "./plan.ts";
import type { Resource } from "./resources.ts";

/** Less than a minute missing is the clock between two points, not late data. */
const TOLERANCE_MS = 60_000;

export interface Coverage {
  readonly windowMs: number;
  /** The part of the window that has data (the whole window when complete). */
  readonly coveredMs: number;
  /** End of the newest minute with data, only when the window is partly covered. */
  readonly dataUntil?: Date;
  /** The baseline cut to the same covered length. */
  readonly baselineEnd: Date;
}

export function coverageOf(plan: Plan, resource: Resource, responses: ReadonlyMap<PlannedRequest, MetricsResponse>): Coverage {
  const windowMs = plan.window.end.getTime() - plan.window.start.getTime();
  const complete: Coverage = { windowMs, coveredMs: windowMs, baselineEnd: plan.previous.end };
  const probe = plan.requests.find((p) => p.purpose === "freshness" && p.resource === resource);
  const res = probe && responses.get(probe);
  if (!res) return complete;
  const newest = res.value
    .flatMap((m) => m.timeseries)
    .flatMap((ts) => ts.data ?? [])
    .filter((p) => typeof p.total === "number" && p.total > 0)
    .reduce<number | undefined>((max, p) => Math.max(max ?? -Infinity, new Date(p.timeStamp).getTime()), undefined);
  // a resource without a single call in the probed minutes is quiet or late: nothing tells which, so nothing is cut
  if (newest === undefined) return complete;
  const dataUntil = newest + 60_000;
  if (plan.window.end.getTime() - dataUntil < TOLERANCE_MS) return complete;
  const coveredMs = Math.max(0, dataUntil - plan.window.start.getTime());
  return { windowMs, coveredMs, dataUntil: new Date(dataUntil), baselineEnd: new Date(plan.previous.start.getTime() + coveredMs) };
}

/** Whether a baseline request's points can be cut at `end`: PT1M points can; a FULL point only if it ends by then. */
export function cuttable(p: PlannedRequest, end: Date): boolean {
  if (p.request.interval !== "FULL") return true;
  const spanEnd = Date.parse(p.request.timespan.split("/")[1] ?? "");
  return spanEnd <= end.getTime();
}
