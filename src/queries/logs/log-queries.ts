// Resource-log questions, planned and answered: a template question (log-templates.ts) or raw
// `kql` becomes one Log Analytics query per workspace (resources grouped by the workspace their
// logs go to), and the tables that come back become one TableAnswer, every figure traceable to the
// workspace, KQL and timespan that produced it.
import { resolveDeployment } from "../deployments.ts";
import { NotScopableError } from "../errors.ts";
import type { Resource } from "../resources.ts";
import { queryable, visibleNames } from "../scope.ts";
import type { Cell, LogsRequest, ResultColumn, ResultTable, TableAnswer } from "../table-answer.ts";
import type { LogQuestion, RawKqlQuestion } from "../table-questions.ts";
import { inWindow, iso, isoSpan, resolveWindow, type ResolvedWindow } from "../time-window.ts";
import { maskCallerIp } from "./caller-ip.ts";
import { InvalidLogParameterError, KqlNeedsWorkspaceError } from "./log-errors.ts";
import { bindLogParams, isTableTemplate, LOG_TEMPLATES, type BoundLogParams, type LogTemplateParams, type TableTemplateId, type TemplateParam } from "./log-templates.ts";
import type { LogsBackend } from "./logs-backend.ts";
import type { WorkspaceLocator } from "./workspaces.ts";

/** How long Log Analytics may run one query (Prefer: wait=…); its own default is 180 s, a chat user waits less. */
export const DEFAULT_SERVER_TIMEOUT_SECONDS = 60;
export const DEFAULT_MAX_ROWS = 50;

/** A window ending this close to now may lack its last minutes of rows. */
const LIVE_WINDOW_MS = 15 * 60_000;
const LOG_LAG = "Resource logs reach Log Analytics a few minutes after the calls (usually 2–5 min, at times more), so the last minutes of this window may have no rows yet: counts here can be lower than the metrics' for the same window.";

export interface LogQueriesOptions {
  readonly backend: LogsBackend;
  readonly workspaces: WorkspaceLocator;
  /** IANA zone windows are read in ("today", "since 09:00"). */
  readonly zone: string;
  readonly now?: () => Date;
  /** Rows shown in chat (config.kql.maxRows); the table keeps every row returned (for a CSV). */
  readonly maxRows?: number;
  readonly serverTimeoutSeconds?: number;
}

type Asked = LogQuestion | RawKqlQuestion;

/** Said when a question names something the template can't narrow by. */
const NOT_NARROWED: Readonly<Record<TemplateParam, string>> = {
  deployments: "This query can't be narrowed to deployments; it covers the whole resource.",
  percentiles: "This query computes no percentiles; the ones asked are ignored.",
  streamType: "This query is not split by stream type; it covers streaming and non-streaming calls.",
  limit: "This query returns a fixed number of rows; the count asked is ignored.",
  status: "This query is not narrowed by status code; it covers every status.",
};

export class LogQueries {
  private readonly backend: LogsBackend;
  private readonly workspaces: WorkspaceLocator;
  private readonly zone: string;
  private readonly now: () => Date;
  private readonly maxRows: number;
  private readonly serverTimeoutSeconds: number;

  constructor(options: LogQueriesOptions) {
    this.backend = options.backend;
    this.workspaces = options.workspaces;
    this.zone = options.zone;
    this.now = options.now ?? (() => new Date());
    this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    this.serverTimeoutSeconds = options.serverTimeoutSeconds ?? DEFAULT_SERVER_TIMEOUT_SECONDS;
  }

  /** Exactly the queries `answer` sends: one per workspace, in the order the resources were given. */
  async plan(question: Asked, resources: readonly Resource[], now?: Date): Promise<LogsRequest[]> {
    return (await this.prepare(question, resources, now ?? this.now())).requests;
  }

  async answer(question: Asked, resources: readonly Resource[], now?: Date): Promise<TableAnswer> {
    const at = now ?? this.now();
    const { requests, window, bound } = await this.prepare(question, resources, at);
    const outcomes = await Promise.all(requests.map((r) => this.backend.query(r)));
    const several = requests.length > 1;
    const byWorkspace = (r: LogsRequest, text: string) => (several ? `workspace ${r.workspace}: ${text}` : text);

    const tables = outcomes.flatMap((o, i) => (o.status === "no-data" ? [] : [{ request: requests[i]!, table: o.table }]));
    const template = question.kind === "logs" ? templateOf(question) : undefined;
    const fallbackColumns = template !== undefined && bound !== undefined ? LOG_TEMPLATES[template].columns(bound) : [];
    const { table, dropped } = concatenate(tables, fallbackColumns);
    const shown = template === "callers" ? masked(table, "CallerIPAddress") : table;
    const rows = shown.rows.length;
    const showUpTo = Math.max(this.maxRows, bound?.limit ?? 0);
    const shownRows = Math.min(rows, question.kind === "kql" ? this.maxRows : showUpTo);

    const partials = outcomes.flatMap((o, i) => (o.status === "partial" ? [byWorkspace(requests[i]!, o.error)] : []));
    const statistics = outcomes.flatMap((o, i) => (o.status !== "no-data" && o.statistics !== undefined ? [byWorkspace(requests[i]!, o.statistics)] : []));
    const silent = outcomes.flatMap((o, i) => (o.status === "no-data" ? [requests[i]!.workspace] : []));

    const who = question.kind === "logs" && question.deployments.length > 0 ? question.deployments.join(", ") : visibleNames(resources) === undefined ? "every deployment" : "the deployments you may see";
    const emptyText = template !== undefined && bound !== undefined ? LOG_TEMPLATES[template].empty(bound, who, window.label) : `The query returned no rows ${inWindow(window.label)}.`;
    const noDataAtAll = silent.length === requests.length && requests.length > 0
      ? ` Log Analytics holds no data at all for the window in ${silent.length > 1 ? "workspaces" : "workspace"} ${silent.join(", ")}: check that the diagnostic setting still sends logs there.`
      : "";

    return {
      kind: question.kind,
      topic: question.topic,
      zone: this.zone,
      window: { start: iso(window.start), end: iso(window.end), label: window.label },
      table: shown,
      shownRows,
      ...(partials.length > 0 ? { partial: partials.join("; ") } : {}),
      ...(rows === 0 ? { empty: `${emptyText}${noDataAtAll}` } : {}),
      // each platform says how many rows it left out (its own limits may cut more than shownRows)
      lines: [],
      notes: [...question.notes, ...this.notesFor(question), ...(at.getTime() - window.end.getTime() < LIVE_WINDOW_MS ? [LOG_LAG] : []), ...dropped.map((w) => `Workspace ${w} answered with different columns; its rows are not in this table.`)],
      sources: requests.map((r) => `workspace ${r.workspace} · KQL ${oneLine(r.query)} · timespan ${r.timespan}`),
      ...(statistics.length > 0 ? { statistics: statistics.join("; ") } : {}),
      requests,
    };
  }

  /** The requests, the window, and (for a template) its values bound over every resource asked. */
  private async prepare(question: Asked, resources: readonly Resource[], now: Date): Promise<{ requests: LogsRequest[]; window: ResolvedWindow; bound?: BoundLogParams }> {
    // what a restricted asker may not see is refused before anything else is said about the query
    const deployments = scopedDeployments(question, resources);
    // a resource whose deployments the asker may see none of is not read
    const usable = queryable(resources);
    if (question.kind === "kql" && this.backend.kind === "demo") {
      throw new KqlNeedsWorkspaceError("Raw KQL needs a real Log Analytics workspace; the demo's simulated one answers the built-in log questions only.", {
        hint: 'Try "logs p95 latency", "logs errors by deployment" or "last 10 failed requests", or run the bot against Azure to use `kql`.',
      });
    }
    if (question.kind === "kql" && question.query.trim() === "") {
      throw new InvalidLogParameterError("There is no query after `kql`.", { hint: "Type the KQL after it, e.g. `kql AzureDiagnostics | take 10`." });
    }
    if (resources.length === 0) throw new InvalidLogParameterError("There is no Azure OpenAI resource to read logs for.", { hint: "Configure AOAI_RESOURCE_IDS or resources in aoai.config.yaml." });
    const window = resolveWindow(question.window, now, this.zone);
    const groups = await this.byWorkspace(usable);
    const timespan = isoSpan(window);
    const serverTimeoutSeconds = this.serverTimeoutSeconds;
    if (question.kind === "kql") return { requests: groups.map(({ workspace }) => ({ api: "logs", workspace, query: question.query, timespan, serverTimeoutSeconds })), window };
    const id = templateOf(question);
    const asked: LogTemplateParams = {
      resourceIds: usable.map((r) => r.id),
      start: window.start,
      end: window.end,
      deployments,
      ...(question.percentiles === undefined ? {} : { percentiles: question.percentiles }),
      ...(question.streamType === undefined ? {} : { streamType: question.streamType }),
      ...(question.limit === undefined ? {} : { limit: question.limit }),
      ...(question.status === undefined ? {} : { status: question.status }),
    };
    const requests = groups.map(({ workspace, resourceIds }): LogsRequest => {
      const params = { ...asked, resourceIds };
      return { api: "logs", workspace, query: LOG_TEMPLATES[id].build(params), timespan, template: { id, params: { ...bindLogParams(id, params) } }, serverTimeoutSeconds };
    });
    return { requests, window, bound: bindLogParams(id, asked) };
  }

  /** Resources grouped by the workspace their logs are in (workspace ids compared without case), first-seen order. */
  private async byWorkspace(resources: readonly Resource[]): Promise<{ workspace: string; resourceIds: string[] }[]> {
    const found = await Promise.all(resources.map(async (r) => ({ id: r.id, workspace: await this.workspaces.workspaceOf(r.id) })));
    const groups = new Map<string, { workspace: string; resourceIds: string[] }>();
    for (const { id, workspace } of found) {
      const key = workspace.toLowerCase();
      const group = groups.get(key) ?? { workspace, resourceIds: [] };
      group.resourceIds.push(id);
      groups.set(key, group);
    }
    return [...groups.values()];
  }

  private notesFor(question: Asked): string[] {
    if (question.kind === "kql") return ["Raw KQL runs read-only (the Log Analytics query API cannot change data), over the asked window as the query's timespan."];
    const template = LOG_TEMPLATES[templateOf(question)];
    const accepts = new Set(template.accepts);
    const asked: Readonly<Record<TemplateParam, boolean>> = {
      deployments: question.deployments.length > 0,
      percentiles: question.percentiles !== undefined && question.percentiles.length > 0,
      streamType: question.streamType !== undefined,
      limit: question.limit !== undefined,
      status: question.status !== undefined,
    };
    const ignored = (Object.keys(asked) as TemplateParam[]).filter((p) => asked[p] && !accepts.has(p)).map((p) => NOT_NARROWED[p]);
    return [...template.notes, ...ignored];
  }
}

/**
 * The deployments a template is narrowed to: those asked, or for an asker who may see only some,
 * the visible ones (a named hidden one is refused as an unknown one is, listing only the visible).
 * Raw KQL and the templates without a deployment column can't be narrowed, so they are refused then.
 */
function scopedDeployments(question: Asked, resources: readonly Resource[]): readonly string[] {
  const visible = visibleNames(queryable(resources));
  const asked = question.kind === "logs" ? question.deployments : [];
  if (visible === undefined) return asked;
  if (question.kind === "kql") {
    throw new NotScopableError("Raw KQL can't be limited to the deployments you may see, so it is not run here.", { hint: 'Ask a built-in log question instead, e.g. "logs p95 latency" or "logs errors by deployment".' });
  }
  const template = templateOf(question);
  if (!LOG_TEMPLATES[template].accepts.includes("deployments")) {
    throw new NotScopableError(`${LOG_TEMPLATES[template].title} can't be limited to the deployments you may see.`, { hint: 'Ask a log question by deployment instead, e.g. "logs p95 latency" or "last 10 failed requests".' });
  }
  if (asked.length === 0) return visible;
  return asked.map((d) => resolveDeployment(d, visible));
}

function templateOf(question: LogQuestion): TableTemplateId {
  // absence (no rows for N minutes) has its own module: the service sends it there, never here
  if (!isTableTemplate(question.template)) throw new Error(`the "${question.template}" log question is not answered by LogQueries`);
  return question.template;
}

/** One table from each workspace's: rows of the tables with the first one's column names; the others are named. */
function concatenate(tables: readonly { request: LogsRequest; table: ResultTable }[], fallback: readonly ResultColumn[]): { table: ResultTable; dropped: string[] } {
  const first = tables.find((t) => t.table.columns.length > 0);
  if (first === undefined) return { table: { columns: fallback, rows: [] }, dropped: [] };
  const names = first.table.columns.map((c) => c.name).join("\n");
  const rows: (readonly Cell[])[] = [];
  const dropped: string[] = [];
  for (const { request, table } of tables) {
    if (table.columns.map((c) => c.name).join("\n") === names) rows.push(...table.rows);
    else if (table.rows.length > 0) dropped.push(request.workspace);
  }
  return { table: { columns: first.table.columns, rows }, dropped };
}

/** The table with every address in `column` masked as Azure masks it (whatever the backend sent). */
function masked(table: ResultTable, column: string): ResultTable {
  const at = table.columns.findIndex((c) => c.name === column);
  if (at < 0) return table;
  return { columns: table.columns, rows: table.rows.map((row) => row.map((cell, i) => (i === at && typeof cell === "string" ? maskCallerIp(cell) : cell))) };
}

/** Template queries on one line for the sources line; raw KQL as typed (a `//` comment would swallow the rest). */
function oneLine(query: string): string {
  return query.includes("//") ? query : query.replace(/\s*\n\s*/g, " ");
}
