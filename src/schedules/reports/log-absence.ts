// "No RequestResponse rows for gpt-4o for 2 hours" as a schedule: the log-absence check
// (queries/logs/log-absence.ts) for every configured resource, posted only when request logs are
// missing although calls happened (pipeline stopped) or can't arrive at all (not routed). An idle
// deployment is not posted: nobody called it, so there were no rows to write and nothing is wrong
// with logging; the metric `absence` schedule is the one that says a deployment went quiet. "No
// data" (no metrics either) is not posted for the same reason: it is a metrics gap, not a logging one.
import { localTime, message, type Message } from "../../bot/message.ts";
import type { DeploymentLogVerdict, LogAbsence, LogAbsenceCheck, LogState } from "../../queries/logs/log-absence.ts";
import { resourceName } from "../../queries/resources.ts";
import { formatMinutes } from "../../queries/time-window.ts";
import type { BusinessHours, ReportSpec } from "../schedule.ts";

export type LogAbsenceSpec = Extract<ReportSpec, { kind: "log-absence" }>;

export const LOG_ABSENCE_DEFAULT_WINDOW = "2h";
/** Shorter than this, ingestion lag alone (a few minutes) would call a working pipeline stopped. */
export const LOG_ABSENCE_MIN_MINUTES = 15;
/** The last row is looked for over 7 days (absence-template.ts): a longer silent window would find none. */
export const LOG_ABSENCE_MAX_MINUTES = 7 * 24 * 60;

/** The states a log-absence schedule posts about: logging problems, and only those. */
const POSTED: ReadonlySet<LogState> = new Set(["pipeline stopped", "not routed"]);

/** A `report: log-absence` configuration entry read into its spec, or what is wrong with it. */
export function logAbsenceSpec(
  name: string,
  c: { readonly deployment?: string | undefined; readonly deployments?: readonly string[] | undefined; readonly windowMinutes: number; readonly businessHours?: BusinessHours },
): LogAbsenceSpec | string {
  if (c.deployment !== undefined && c.deployments !== undefined) return `schedule ${name}: report "log-absence" takes deployment or deployments, not both`;
  const deployments = c.deployments ?? (c.deployment === undefined ? [] : [c.deployment]);
  if (deployments.some((d) => d.trim() === "")) return `schedule ${name}: report "log-absence" has an empty deployment name; name each deployment, or leave deployments out to check every deployment`;
  if (c.windowMinutes < LOG_ABSENCE_MIN_MINUTES) {
    return `schedule ${name}: report "log-absence" needs a window of at least ${LOG_ABSENCE_MIN_MINUTES}m, not ${formatMinutes(c.windowMinutes)}: Log Analytics ingestion lags a few minutes, so a shorter window would report a working pipeline as stopped`;
  }
  if (c.windowMinutes > LOG_ABSENCE_MAX_MINUTES) return `schedule ${name}: report "log-absence" takes a window of at most 7d (the last log row is looked for over 7 days), not ${formatMinutes(c.windowMinutes)}`;
  return { kind: "log-absence", deployments: deployments.map((d) => d.trim()), windowMinutes: c.windowMinutes, ...(c.businessHours ? { businessHours: c.businessHours } : {}) };
}

export interface LogAbsenceOutcome {
  /** The report to post; undefined when every deployment is logging, idle or without data. */
  readonly report?: Message;
  /** Each deployment's state, for the ledger ("gpt-4o: pipeline stopped, gpt-4o-mini: idle"). */
  readonly detail: string;
}

/**
 * Runs the check for every resource; without the log service, the report says log checks are not configured.
 * `visible`: per resource id, the deployments the report's channels may see (audience.ts); absent or unnamed: every one.
 */
export async function logAbsenceOutcome(logs: LogAbsence | undefined, resourceIds: readonly string[], spec: LogAbsenceSpec, at: Date, zone: string, schedule: string, visible?: ReadonlyMap<string, readonly string[]>): Promise<LogAbsenceOutcome> {
  if (logs === undefined) return { report: notConfigured(schedule), detail: "log checks are not configured" };
  // none visible is not "every deployment" (what an empty list means to the check): that resource is left out
  const deploymentsOf = (id: string): readonly string[] | undefined => {
    const shown = visible?.get(id);
    if (shown === undefined) return spec.deployments;
    const kept = spec.deployments.length === 0 ? shown : spec.deployments.filter((d) => shown.some((v) => v.toLowerCase() === d.toLowerCase()));
    return kept.length === 0 ? undefined : kept;
  };
  const checked = resourceIds.flatMap((resourceId) => {
    const deployments = deploymentsOf(resourceId);
    return deployments === undefined ? [] : [{ resourceId, deployments }];
  });
  const checks = await Promise.all(checked.map(({ resourceId, deployments }) => logs.check({ resourceId, deployments, silentMinutes: spec.windowMinutes, at, zone })));
  const several = checked.length > 1;
  const verdicts = checks.flatMap((c) => c.verdicts);
  const detail = verdicts.length === 0 ? "no deployments to check" : verdicts.map((v) => `${name(v, several)}: ${v.state}`).join(", ");
  const report = logAbsenceReport(checks, spec.windowMinutes);
  return report === undefined ? { detail } : { report, detail };
}

export function logAbsenceReport(checks: readonly LogAbsenceCheck[], windowMinutes: number): Message | undefined {
  const several = checks.length > 1;
  const problems = checks.flatMap((c) => c.verdicts.filter((v) => POSTED.has(v.state)));
  const first = problems[0];
  if (first === undefined) return undefined;
  const w = formatMinutes(windowMinutes);
  const title = problems.length > 1 ? `Request logs missing for ${problems.length} deployments (last ${w})` : TITLE[first.state === "not routed" ? "not routed" : "pipeline stopped"](name(first, several), w);
  // a missing setting is the resource's, said once however many deployments it silences
  const lines = [...new Set(problems.map((v) => (v.state === "not routed" ? `${resourceName(v.resourceId)}: ${v.line}` : several ? `${resourceName(v.resourceId)}/${v.line}` : v.line)))];
  return message("report", "warning", title, {
    lines,
    tables: [
      {
        columns: [...(several ? ["Resource"] : []), "Deployment", "State", "Requests (metrics)", "Log rows", "Last row"],
        rows: problems.map((v) => [...(several ? [resourceName(v.resourceId)] : []), v.deployment, v.state, count(v.requests, "no data"), count(v.rows, v.state === "not routed" ? "not routed" : "no data"), v.lastRowAt === null ? "none" : localTime(v.lastRowAt)]),
        more: 0,
        data: { align: [...(several ? ["left" as const] : []), "left", "left", "right", "right", "left"] },
      },
    ],
    notes: [...new Set(checks.flatMap((c) => [...c.notes, ...(c.partial === undefined ? [] : [`Log Analytics answered partially: ${c.partial}`])]))],
    footnotes: checks.flatMap((c) => c.sources),
  });
}

const TITLE: Readonly<Record<"pipeline stopped" | "not routed", (deployment: string, w: string) => string>> = {
  "pipeline stopped": (d, w) => `Request logs stopped arriving for ${d} (no RequestResponse rows in the last ${w})`,
  "not routed": (d) => `Request logs of ${d} are not routed to a workspace`,
};

function notConfigured(schedule: string): Message {
  return message("report", "warning", "Log checks are not configured", {
    lines: [
      `Schedule **${schedule}** checks the request logs (log-absence), but this bot process has no Log Analytics access configured, so nothing was checked.`,
      "Give the resource a workspace (`workspaceId` in its `resources:` entry, or AOAI_WORKSPACE_ID) or a diagnostic setting that sends RequestResponse to one, and restart the bot.",
    ],
  });
}

function name(v: DeploymentLogVerdict, several: boolean): string {
  return several ? `${resourceName(v.resourceId)}/${v.deployment}` : v.deployment;
}

/** null is said in words ("no data", "not routed"), never 0. */
function count(n: number | null, none: string): string {
  return n === null ? none : n.toLocaleString("en-US");
}
