// "No RequestResponse rows for gpt-4o for 2 hours": silence in the logs means one of three different
// things, each for different people. Nobody called the deployment (idle: the request metrics are
// silent too, not a logging problem); calls happened but their rows stopped arriving (the pipeline
// stopped: the metrics count requests the workspace has no rows for); or no diagnostic setting
// routes RequestResponse to a workspace at all (not routed: nothing was ever going to arrive). The
// metrics are the witness: platform metrics are collected without any setting, resource logs only
// through one (seed doc, "Data collection and routing").
import { DateTime } from "luxon";
import type { AzureMetrics, MetricsResponse } from "../azure-metrics.ts";
import type { DiagnosticSetting, DiagnosticSettingsReader } from "../arm-readers.ts";
import { resolveDeployment } from "../deployments.ts";
import { UserError } from "../errors.ts";
import { buildFilter } from "../filter.ts";
import { isRestricted, nothingVisible, queryable, showsDeployment, visibleNames } from "../scope.ts";
import type { MetricsRequest } from "../plan.ts";
import { isWorkspaceId, resourceName, type Resource } from "../resources.ts";
import type { ArmRequest, Cell, LogsRequest, ResultColumn, ResultTable, TableAnswer } from "../table-answer.ts";
import type { LogQuestion } from "../table-questions.ts";
import { formatMinutes, inWindow, iso, isoSpan, resolveWindow } from "../time-window.ts";
import { ABSENCE_LOOKBACK_MINUTES, ABSENCE_TEMPLATE, absenceKql, absenceParams } from "./absence-template.ts";
import type { LogsBackend, LogsOutcome } from "./logs-backend.ts";

/** "no data": neither the metrics nor the logs have anything for the window, so idle can't be told from stopped. */
export type LogState = "logging" | "idle" | "pipeline stopped" | "not routed" | "no data";

export interface DeploymentLogVerdict {
  readonly resourceId: string;
  readonly deployment: string;
  readonly state: LogState;
  /** AzureOpenAIRequests (Total) in the window; null: Azure Monitor had no data for the resource. */
  readonly requests: number | null;
  /** RequestResponse rows in the window; null: the workspace was not queried (not routed). */
  readonly rows: number | null;
  /** ISO time of the newest row in the lookback; null: none. */
  readonly lastRowAt: string | null;
  /** The verdict in words: what it means and what to do. */
  readonly line: string;
}

export interface LogAbsenceCheck {
  readonly resourceId: string;
  readonly window: { readonly start: Date; readonly end: Date; readonly label: string };
  /** The workspace read; absent when nothing routes there (not routed). */
  readonly workspace?: string;
  readonly verdicts: readonly DeploymentLogVerdict[];
  /** Log Analytics returned a PartialError: rows may be missing, so "no rows" is less certain. */
  readonly partial?: string;
  readonly statistics?: string;
  readonly notes: readonly string[];
  readonly sources: readonly string[];
  readonly requests: readonly (LogsRequest | ArmRequest | MetricsRequest)[];
}

export interface LogAbsenceOptions {
  readonly backend: LogsBackend;
  readonly metrics: AzureMetrics;
  readonly diagnostics: DiagnosticSettingsReader;
  /** The workspace a resource's logs are read from (configured, or discovered from its diagnostic settings). */
  readonly workspaces: (resourceId: string) => Promise<string>;
  readonly zone: string;
  readonly now?: () => Date;
  readonly serverTimeoutSeconds?: number;
  /** How far back the last row is looked for (default 7 days). */
  readonly lookbackMinutes?: number;
}

export interface AbsenceCheckArgs {
  readonly resourceId: string;
  /** Canonical names; empty: every deployment the resource reports (metrics, last 30 days) or that wrote rows. */
  readonly deployments: readonly string[];
  readonly silentMinutes: number;
  /** When the silent window ends (default now). */
  readonly at?: Date;
  /** The zone times are said in (a schedule's own); default the configured one. */
  readonly zone?: string;
  /** How the window is named ("yesterday"); default "last <silentMinutes>". */
  readonly label?: string;
  /**
   * Set for an asker who may see only these deployments (Resource.visible): the metrics and the log
   * query are kept to them, and only they are judged (of `deployments`, the visible ones).
   */
  readonly visible?: readonly string[];
}

export const DEFAULT_SERVER_TIMEOUT_SECONDS = 30;

/** Worst first: the headline leads with the first state any deployment is in. */
const SEVERITY: readonly LogState[] = ["not routed", "pipeline stopped", "no data", "idle", "logging"];

/** The log categories (or category groups) whose routing puts RequestResponse rows in a workspace. */
const ROUTING_CATEGORIES = new Set(["requestresponse", "alllogs"]);

const REQUESTS_METRIC = "AzureOpenAIRequests";
const SPLIT = "ModelDeploymentName eq '*'";

const COST = "Routing resource logs to Log Analytics costs money (ingestion and retention are billed per GB).";
const LAG = "Log ingestion lags a few minutes behind the calls (metrics too), so rows of the last few minutes may not be there yet.";

export class LogAbsence {
  private readonly opts: LogAbsenceOptions;
  private readonly now: () => Date;

  constructor(options: LogAbsenceOptions) {
    this.opts = options;
    this.now = options.now ?? (() => new Date());
  }

  async check(asked: AbsenceCheckArgs): Promise<LogAbsenceCheck> {
    const args = withinVisible(asked);
    const { resourceId } = args;
    const { window, since } = this.windowOf(args);
    const notes: string[] = [];
    const sources: string[] = [];
    const requests: (LogsRequest | ArmRequest | MetricsRequest)[] = [diagnosticsRequest(resourceId)];

    const settings = await this.settings(resourceId, notes);
    const routing = settings?.filter(routesRequestResponse);
    if (settings !== undefined) sources.push(`diagnosticSettings.list on ${resourceId}: ${describeRouting(settings)}`);

    const counted = this.requestCounts(resourceId, window, requests, sources, args.visible);
    if (routing !== undefined && routing.length === 0) {
      const counts = await counted;
      const line = notRoutedLine(resourceId, settings ?? []);
      const verdicts = (await this.names(resourceId, args.deployments, counts, [])).map((d) => notRouted(resourceId, d, counts, line));
      return { resourceId, window, verdicts, notes: [...notes, COST], sources, requests };
    }

    const [counts, workspace] = await Promise.all([counted, this.opts.workspaces(resourceId)]);
    const elsewhere = routing === undefined ? undefined : routedElsewhere(routing, workspace);
    if (elsewhere !== undefined) {
      const line = notRoutedLine(resourceId, settings ?? [], { workspace, settings: elsewhere });
      const verdicts = (await this.names(resourceId, args.deployments, counts, [])).map((d) => notRouted(resourceId, d, counts, line));
      return { resourceId, window, workspace, verdicts, notes: [...notes, COST], sources, requests };
    }

    const logsRequest = this.logsRequest(resourceId, args.deployments, workspace, window, since);
    requests.push(logsRequest);
    const outcome = await this.opts.backend.query(logsRequest);
    sources.push(`Log Analytics workspace ${workspace} · timespan ${logsRequest.timespan} · KQL: ${logsRequest.query.replace(/\n/g, " ")}`);
    const rows = rowsOf(outcome);
    const names = await this.names(resourceId, args.deployments, counts, Array.from(rows.values(), (r) => r.name));
    const ctx: Context = { resourceId, workspace, window, since, zone: args.zone ?? this.opts.zone, routing: routing?.map((s) => s.name), partial: outcome.status === "partial" };
    const verdicts = names.map((d) => judge(ctx, d, counts, rows.get(d.toLowerCase())));
    if (routing === undefined) notes.push("Without the diagnostic settings, a missing or changed setting can't be ruled out as the reason rows stopped.");
    if (verdicts.some((v) => v.state !== "logging")) notes.push(LAG);
    return {
      resourceId,
      window,
      workspace,
      verdicts,
      ...(outcome.status === "partial" ? { partial: outcome.error } : {}),
      ...(outcome.status !== "no-data" && outcome.statistics !== undefined ? { statistics: outcome.statistics } : {}),
      notes,
      sources,
      requests,
    };
  }

  /**
   * The requests `answer` sends, without sending them (`aoai ask --plan`): the diagnostic settings,
   * the request metrics and the absence query per resource. Not listed: the unsplit metrics request
   * sent only when no deployment had a series, and the log query, which is skipped when no setting
   * routes RequestResponse. Naming the workspace may read the diagnostic settings (a lookup).
   */
  async plan(q: LogQuestion, resources: readonly Resource[], now: Date = this.now()): Promise<(LogsRequest | ArmRequest | MetricsRequest)[]> {
    const args = this.argsOf(q, now);
    const planned = await Promise.all(
      scopedChecks(args, resources).map(withinVisible).map(async (one) => {
        const { window, since } = this.windowOf(one);
        const workspace = await this.opts.workspaces(one.resourceId);
        return [diagnosticsRequest(one.resourceId), countsRequest(one.resourceId, window, withVisible(SPLIT, one.visible)), this.logsRequest(one.resourceId, one.deployments, workspace, window, since)];
      }),
    );
    return planned.flat();
  }

  /** "no RequestResponse rows for gpt-4o for 2 hours" asked in chat: one row per deployment of each resource. */
  async answer(q: LogQuestion, resources: readonly Resource[], now: Date = this.now()): Promise<TableAnswer> {
    const args = this.argsOf(q, now);
    const checks = await Promise.all(scopedChecks(args, resources).map((one) => this.check(one)));
    const several = checks.length > 1;
    const verdicts = checks.flatMap((c) => c.verdicts);
    const { window } = this.windowOf({ ...args, resourceId: "" });
    const label = window.label;
    const partial = checks.flatMap((c) => (c.partial === undefined ? [] : [`${resourceName(c.resourceId)}: ${c.partial}`]));
    const statistics = checks.flatMap((c) => (c.statistics === undefined ? [] : [c.statistics]));
    return {
      kind: "logs",
      topic: q.topic,
      zone: this.opts.zone,
      window: { start: iso(window.start), end: iso(window.end), label },
      table: verdictTable(verdicts, several),
      shownRows: verdicts.length,
      ...(partial.length > 0 ? { partial: partial.join("; ") } : {}),
      ...(verdicts.length === 0 ? { empty: `No deployments to check ${inWindow(label)}: none reported requests in the last 30 days and the workspace has no RequestResponse rows.` } : {}),
      lines: verdictLines(verdicts, label, several),
      notes: [...q.notes, ...new Set(checks.flatMap((c) => c.notes))],
      sources: checks.flatMap((c) => c.sources),
      ...(statistics.length > 0 ? { statistics: statistics.join("; ") } : {}),
      requests: checks.flatMap((c) => c.requests),
    };
  }

  /** A question's silent window: its silent minutes up to now, else the window it names. */
  private argsOf(q: LogQuestion, now: Date): Omit<AbsenceCheckArgs, "resourceId"> {
    if (q.template !== ABSENCE_TEMPLATE) throw new Error(`LogAbsence answers the absence template, not "${q.template}"`);
    if (q.silentMinutes !== undefined) return { deployments: q.deployments, silentMinutes: q.silentMinutes, at: now };
    const asked = resolveWindow(q.window, now, this.opts.zone);
    return { deployments: q.deployments, silentMinutes: Math.max(1, Math.round((asked.end.getTime() - asked.start.getTime()) / 60_000)), at: asked.end, label: asked.label };
  }

  private windowOf(args: AbsenceCheckArgs): { window: { start: Date; end: Date; label: string }; since: Date } {
    const end = args.at ?? this.now();
    const start = new Date(end.getTime() - args.silentMinutes * 60_000);
    const since = new Date(end.getTime() - Math.max(args.silentMinutes, this.opts.lookbackMinutes ?? ABSENCE_LOOKBACK_MINUTES) * 60_000);
    return { window: { start, end, label: args.label ?? `last ${formatMinutes(args.silentMinutes)}` }, since };
  }

  private logsRequest(resourceId: string, deployments: readonly string[], workspace: string, window: { start: Date; end: Date }, since: Date): LogsRequest {
    const query = { resourceIds: [resourceId], deployments, start: window.start, end: window.end, since };
    return {
      api: "logs",
      workspace,
      query: absenceKql(query),
      timespan: isoSpan({ start: since, end: window.end }),
      template: { id: ABSENCE_TEMPLATE, params: absenceParams(query) },
      serverTimeoutSeconds: this.opts.serverTimeoutSeconds ?? DEFAULT_SERVER_TIMEOUT_SECONDS,
    };
  }

  /** The diagnostic settings, or undefined (with a note why) when the bot may not read them: the check goes on without them. */
  private async settings(resourceId: string, notes: string[]): Promise<readonly DiagnosticSetting[] | undefined> {
    try {
      return await this.opts.diagnostics.list(resourceId);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      notes.push(`Could not read the diagnostic settings of ${resourceName(resourceId)}: ${err.message}${err.hint ? ` ${err.hint}` : ""}`);
      return undefined;
    }
  }

  /**
   * Requests per deployment (lower-cased name → Total) over the window, as one FULL point per series.
   * A deployment with no series counts 0 only if the resource reports at all: one unsplit request
   * tells Azure's zeros from no data (then every count is null, never 0).
   */
  private async requestCounts(resourceId: string, window: { start: Date; end: Date }, requests: (LogsRequest | ArmRequest | MetricsRequest)[], sources: string[], visible?: readonly string[]): Promise<Counts> {
    const split = countsRequest(resourceId, window, withVisible(SPLIT, visible));
    requests.push(split);
    sources.push(metricSource(split));
    const series = totalsBySeries(await this.opts.metrics.query(split));
    if (series.size > 0) return { bySeries: series, reports: true };
    const unsplit = countsRequest(resourceId, window, visible === undefined ? undefined : withVisible(undefined, visible));
    requests.push(unsplit);
    sources.push(`${metricSource(unsplit)} (no deployment had a series: is the resource reporting at all?)`);
    const whole = await this.opts.metrics.query(unsplit);
    const reports = whole.value.some((m) => m.timeseries.some((ts) => (ts.data ?? []).some((p) => typeof p.total === "number")));
    return { bySeries: series, reports };
  }

  /** The deployments to judge: those asked, else every one the resource reports or wrote rows. */
  private async names(resourceId: string, asked: readonly string[], counts: Counts, fromRows: readonly string[]): Promise<string[]> {
    if (asked.length > 0) return [...asked];
    const known = await this.opts.metrics.deployments(resourceId);
    const byLower = new Map<string, string>();
    for (const d of [...known, ...Array.from(counts.bySeries.values(), (s) => s.name), ...fromRows]) if (!byLower.has(d.toLowerCase())) byLower.set(d.toLowerCase(), d);
    return [...byLower.values()].sort();
  }
}

/**
 * One check per resource the question is asked of. For an asker who may see only some deployments,
 * each restricted resource is checked for its visible ones (of those named, the ones it shows); a
 * resource showing none is left out, and a named deployment no resource shows is refused as unknown.
 */
function scopedChecks(args: Omit<AbsenceCheckArgs, "resourceId">, resources: readonly Resource[]): AbsenceCheckArgs[] {
  const usable = queryable(resources);
  const visible = visibleNames(usable);
  if (visible === undefined) return usable.map((r) => ({ ...args, resourceId: r.id }));
  // refused with only the visible names listed, as an unknown deployment is
  const named = args.deployments.map((d) => resolveDeployment(d, visible));
  return usable.flatMap((r): AbsenceCheckArgs[] => {
    if (!isRestricted(r)) return [{ ...args, deployments: named, resourceId: r.id }];
    const shown = named.filter((d) => showsDeployment(r, d));
    return named.length > 0 && shown.length === 0 ? [] : [{ ...args, deployments: shown, resourceId: r.id, visible: r.visible }];
  });
}

/** The args with `deployments` made the visible ones (all of them when none is named); unchanged when unrestricted. */
function withinVisible(args: AbsenceCheckArgs): AbsenceCheckArgs {
  const visible = args.visible;
  if (visible === undefined) return args;
  if (visible.length === 0) throw nothingVisible();
  const lower = new Set(visible.map((v) => v.toLowerCase()));
  const named = args.deployments.filter((d) => lower.has(d.toLowerCase()));
  if (args.deployments.length > 0 && named.length === 0) throw nothingVisible();
  return { ...args, deployments: named.length > 0 ? named : [...visible].sort() };
}

/** A metrics filter kept to the visible deployments (and-ed after a split), or as it was when unrestricted. */
function withVisible(filter: string | undefined, visible: readonly string[] | undefined): string | undefined {
  if (visible === undefined) return filter;
  if (visible.length === 0) throw nothingVisible();
  const only = buildFilter([{ dimension: "ModelDeploymentName", values: visible }])!;
  return filter === undefined ? only : `${filter} and ${only}`;
}

interface SeriesTotal {
  readonly name: string;
  readonly total: number | null;
}

interface Counts {
  /** Lower-cased deployment name → its series. */
  readonly bySeries: ReadonlyMap<string, SeriesTotal>;
  /** The resource reported AzureOpenAIRequests at all: a deployment without a series had 0 requests. */
  readonly reports: boolean;
}

interface Context {
  readonly resourceId: string;
  readonly workspace: string;
  readonly window: { readonly start: Date; readonly end: Date; readonly label: string };
  readonly since: Date;
  readonly zone: string;
  /** Names of the settings routing RequestResponse; undefined when they could not be read. */
  readonly routing: readonly string[] | undefined;
  readonly partial: boolean;
}

interface LogRow {
  /** As the row spelled it. */
  readonly name: string;
  readonly rows: number;
  readonly lastRowAt: string | null;
}

function routesRequestResponse(s: DiagnosticSetting): boolean {
  return s.workspaceResourceId !== undefined && s.logs.some((l) => l.enabled && ROUTING_CATEGORIES.has(l.category.toLowerCase()));
}

/** The settings that route RequestResponse, when none of them sends to the workspace the bot reads (comparable only for an ARM id). */
function routedElsewhere(routing: readonly DiagnosticSetting[], workspace: string): readonly DiagnosticSetting[] | undefined {
  if (routing.length === 0 || !workspace.startsWith("/") || !isWorkspaceId(workspace)) return undefined;
  return routing.some((s) => s.workspaceResourceId?.toLowerCase() === workspace.toLowerCase()) ? undefined : routing;
}

function describeRouting(settings: readonly DiagnosticSetting[]): string {
  if (settings.length === 0) return "no diagnostic settings";
  return settings.map((s) => `${s.name} → ${s.workspaceResourceId === undefined ? "no workspace" : resourceName(s.workspaceResourceId)} (${s.logs.filter((l) => l.enabled).map((l) => l.category).join(", ") || "no log categories"})`).join("; ");
}

function totalsBySeries(res: MetricsResponse): Map<string, SeriesTotal> {
  const out = new Map<string, SeriesTotal>();
  for (const m of res.value) {
    for (const ts of m.timeseries) {
      const name = ts.metadatavalues?.find((mv) => mv.name?.value.toLowerCase() === "modeldeploymentname")?.value;
      if (name === undefined || name.length === 0) continue;
      const totals = (ts.data ?? []).flatMap((p) => (typeof p.total === "number" ? [p.total] : []));
      const before = out.get(name.toLowerCase())?.total ?? null;
      const sum = totals.length === 0 ? null : totals.reduce((a, b) => a + b, 0);
      out.set(name.toLowerCase(), { name, total: before === null ? sum : before + (sum ?? 0) });
    }
  }
  return out;
}

function requestsOf(counts: Counts | undefined, deployment: string): number | null {
  const series = counts?.bySeries.get(deployment.toLowerCase());
  if (series !== undefined) return series.total;
  return counts?.reports === true ? 0 : null;
}

function rowsOf(outcome: LogsOutcome): Map<string, LogRow> {
  const out = new Map<string, LogRow>();
  if (outcome.status === "no-data") return out;
  const { columns, rows } = outcome.table;
  const at = (name: string) => columns.findIndex((c) => c.name === name);
  const [deployment, count, last] = [at("deployment"), at("rows"), at("last_row")];
  if (deployment < 0 || count < 0 || last < 0) throw new Error(`the absence query's result lacks a column (has ${columns.map((c) => c.name).join(", ")})`);
  for (const row of rows) {
    const name = row[deployment];
    if (typeof name !== "string") continue;
    const n = Number(row[count] ?? 0);
    const lastRow = row[last];
    const before = out.get(name.toLowerCase());
    const lastRowAt = typeof lastRow === "string" && (before?.lastRowAt == null || lastRow > before.lastRowAt) ? lastRow : (before?.lastRowAt ?? null);
    out.set(name.toLowerCase(), { name: before?.name ?? name, rows: (before?.rows ?? 0) + (Number.isFinite(n) ? n : 0), lastRowAt });
  }
  return out;
}

function judge(ctx: Context, deployment: string, counts: Counts, row: LogRow | undefined): DeploymentLogVerdict {
  const requests = requestsOf(counts, deployment);
  const rows = row?.rows ?? 0;
  const lastRowAt = row?.lastRowAt ?? null;
  const state: LogState = rows > 0 ? "logging" : requests === null ? "no data" : requests > 0 ? "pipeline stopped" : "idle";
  return { resourceId: ctx.resourceId, deployment, state, requests, rows, lastRowAt, line: LINES[state](ctx, deployment, requests, rows, lastRowAt) };
}

/** The workspace was not read: no rows and no last row to tell (null, not 0). */
function notRouted(resourceId: string, deployment: string, counts: Counts, line: string): DeploymentLogVerdict {
  return { resourceId, deployment, state: "not routed", requests: requestsOf(counts, deployment), rows: null, lastRowAt: null, line };
}

type LineFn = (ctx: Context, deployment: string, requests: number | null, rows: number, lastRowAt: string | null) => string;

const LINES: Readonly<Record<Exclude<LogState, "not routed">, LineFn>> = {
  logging: (ctx, d, _requests, rows, last) => `${d}: **logging**: ${count(rows)} RequestResponse rows ${inWindow(ctx.window.label)}${last === null ? "" : `, the last at ${when(last, ctx.zone)}`}.`,
  idle: (ctx, d, _requests, _rows, last) =>
    `${d}: **idle**: no RequestResponse rows, and Azure Monitor counted **0** requests ${inWindow(ctx.window.label)} either: nobody called it, which is not a logging problem.${last === null ? "" : ` Its last row is from ${when(last, ctx.zone)}.`}`,
  "pipeline stopped": (ctx, d, requests, _rows, last) =>
    `${d}: **pipeline stopped**: Azure Monitor counted **${count(requests ?? 0)}** requests ${inWindow(ctx.window.label)}, but workspace ${resourceName(ctx.workspace)} has no RequestResponse rows for them` +
    (last === null ? ` (none at all since ${when(iso(ctx.since), ctx.zone)}).` : `: the last row arrived at ${when(last, ctx.zone)}, ${formatMinutes(minutesBetween(last, ctx.window.end))} ago.`) +
    ` Log ingestion can lag a few minutes; if it stays silent, check ${ctx.routing === undefined ? "the resource's diagnostic settings" : `the diagnostic setting ${ctx.routing.join(", ")}`} and the workspace's daily cap.` +
    (ctx.partial ? " Log Analytics answered only partially, so rows may be missing from the answer rather than from the workspace." : ""),
  "no data": (ctx, d) => `${d}: **no data**: Azure Monitor has no request metrics for the resource ${inWindow(ctx.window.label)} and the workspace has no RequestResponse rows, so an idle deployment can't be told from a stopped pipeline. Ask again later.`,
};

function notRoutedLine(resourceId: string, settings: readonly DiagnosticSetting[], mismatch?: { readonly workspace: string; readonly settings: readonly DiagnosticSetting[] }): string {
  const name = resourceName(resourceId);
  if (mismatch !== undefined) {
    const to = mismatch.settings.map((s) => `${s.name} → ${resourceName(s.workspaceResourceId ?? "")}`).join(", ");
    return `**not routed** to the workspace the bot reads: ${name}'s diagnostic settings send RequestResponse elsewhere (${to}), but the bot reads ${resourceName(mismatch.workspace)}. Set the resource's workspaceId to that workspace, or add ${resourceName(mismatch.workspace)} as a destination of the setting. ${COST}`;
  }
  const toWorkspace = settings.find((s) => s.workspaceResourceId !== undefined);
  if (toWorkspace !== undefined) {
    return `**not routed**: the diagnostic setting "${toWorkspace.name}" on ${name} sends logs to workspace ${resourceName(toWorkspace.workspaceResourceId ?? "")}, but not the RequestResponse category, so no request logs arrive. Enable RequestResponse (or the allLogs group) in "${toWorkspace.name}". ${COST}`;
  }
  const withRequests = settings.find((s) => s.logs.some((l) => l.enabled && ROUTING_CATEGORIES.has(l.category.toLowerCase())));
  if (withRequests !== undefined) {
    return `**not routed**: the diagnostic setting "${withRequests.name}" on ${name} sends RequestResponse to storage or Event Hubs, not to a Log Analytics workspace, so the bot has no rows to read. Add a Log Analytics workspace as a destination of "${withRequests.name}". ${COST}`;
  }
  return (
    `**not routed**: no diagnostic setting on ${name} sends RequestResponse (or the allLogs group) to a Log Analytics workspace, so no request logs arrive. ` +
    `Create one: \`az monitor diagnostic-settings create --name aoai-request-logs --resource ${resourceId} --workspace <workspace resource id> --logs '[{"category":"RequestResponse","enabled":true}]'\` (or Diagnostic settings → Add diagnostic setting in the portal). ${COST}`
  );
}

const HEADLINE: Readonly<Record<LogState, (names: string, label: string) => string>> = {
  "not routed": (names) => `Not routed: no diagnostic setting sends RequestResponse logs to the workspace (${names}).`,
  "pipeline stopped": (names, label) => `Pipeline stopped: ${names} had requests in Azure Monitor but no RequestResponse rows ${inWindow(label)}.`,
  "no data": (names, label) => `No data: neither metrics nor logs have anything for ${names} ${inWindow(label)}.`,
  idle: (names, label) => `Idle: ${names} had no requests and no log rows ${inWindow(label)}: nobody called it, not a logging problem.`,
  logging: (names, label) => `Logging: ${names} wrote RequestResponse rows ${inWindow(label)}.`,
};

/** The headline leads with the worst state, then each deployment that is not logging says why. */
export function verdictLines(verdicts: readonly DeploymentLogVerdict[], label: string, several: boolean): string[] {
  const worst = SEVERITY.find((s) => verdicts.some((v) => v.state === s));
  if (worst === undefined) return [];
  const name = (v: DeploymentLogVerdict) => (several ? `${resourceName(v.resourceId)}/${v.deployment}` : v.deployment);
  const headline = HEADLINE[worst](verdicts.filter((v) => v.state === worst).map(name).join(", "), label);
  const explained = SEVERITY.filter((s) => s !== "logging").flatMap((s) => verdicts.filter((v) => v.state === s));
  // one not-routed line per resource: it is the resource's setting that is missing, not each deployment's
  const lines = new Set(explained.map((v) => (v.state === "not routed" ? `${resourceName(v.resourceId)}: ${v.line}` : several ? `${resourceName(v.resourceId)}/${v.line}` : v.line)));
  return [headline, ...lines];
}

const COLUMNS: readonly ResultColumn[] = [
  { name: "deployment", type: "string" },
  { name: "state", type: "string" },
  { name: "requests in metrics", type: "long" },
  { name: "log rows", type: "long" },
  { name: "last row at", type: "datetime" },
];

function verdictTable(verdicts: readonly DeploymentLogVerdict[], several: boolean): ResultTable {
  const sorted = [...verdicts].sort((a, b) => SEVERITY.indexOf(a.state) - SEVERITY.indexOf(b.state) || a.deployment.localeCompare(b.deployment));
  const cells = (v: DeploymentLogVerdict): Cell[] => [v.deployment, v.state, v.requests, v.rows, v.lastRowAt];
  if (!several) return { columns: COLUMNS, rows: sorted.map(cells) };
  return { columns: [{ name: "resource", type: "string" }, ...COLUMNS], rows: sorted.map((v) => [resourceName(v.resourceId), ...cells(v)]) };
}

function diagnosticsRequest(resourceId: string): ArmRequest {
  return { api: "arm", operation: "diagnosticSettings.list", scope: resourceId };
}

/** AzureOpenAIRequests Total over the window as one FULL point, split by deployment (or not: the resource's own count). */
function countsRequest(resourceId: string, window: { start: Date; end: Date }, filter?: string): MetricsRequest {
  return { api: "metrics", resourceId, metricnames: REQUESTS_METRIC, aggregation: "Total", interval: "FULL", timespan: isoSpan(window), ...(filter === undefined ? {} : { filter, top: 100 }), window: "current" };
}

function metricSource(r: MetricsRequest): string {
  return [resourceName(r.resourceId), r.metricnames, r.aggregation, `grain ${r.interval}`, r.timespan, ...(r.filter === undefined ? [] : [`filter ${r.filter}`]), "Metrics - List"].join(" · ");
}


function count(n: number): string {
  return n.toLocaleString("en-US");
}

function when(isoTime: string, zone: string): string {
  return `${DateTime.fromISO(isoTime, { zone }).toFormat("yyyy-MM-dd HH:mm")} ${zone}`;
}

function minutesBetween(isoTime: string, end: Date): number {
  return Math.max(0, Math.round((end.getTime() - Date.parse(isoTime)) / 60_000));
}
