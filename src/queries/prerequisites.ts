// `doctor`: every check of prerequisite-checks.ts on every configured resource, all at once, each
// with its own time limit, so one slow or failing read never holds up or hides the others. The
// answer is one table row per resource and check (✅ / ❌ / ⚠️ and what was found), and a note per
// problem saying exactly what to do (the role and scope, the setting to create, the `az` command).
import type { AzureMetrics, MetricDefinition } from "./azure-metrics.ts";
import type { ActivityEvent, ActivityLogReader, DeploymentLimits, DeploymentReader, DiagnosticSetting, DiagnosticSettingsReader } from "./arm-readers.ts";
import { AzureTimeoutError } from "./errors.ts";
import { LOG_TEMPLATES, bindLogParams } from "./logs/log-templates.ts";
import type { LogsBackend, LogsOutcome } from "./logs/logs-backend.ts";
import { PREREQUISITE_CHECKS, STATUS_MARK, type CheckResult, type PrerequisiteCheck, type ResourceReads } from "./prerequisite-checks.ts";
import { resourceName, type Resource } from "./resources.ts";
import { showsDeployment } from "./scope.ts";
import type { ArmRequest, Cell, LogsRequest, ResultColumn, TableAnswer } from "./table-answer.ts";
import { iso, isoSpan } from "./time-window.ts";

/** Each check's own limit; the readers' own timeouts are shorter, this catches anything that hangs. */
export const CHECK_TIMEOUT_MS = 30_000;
/** How far back the workspace query and the activity log read look. */
export const LOOKBACK_MS = 3_600_000;
/** The workspace check's query: the smallest that proves the bot may query the workspace. */
export const WORKSPACE_PROBE_KQL = "AzureDiagnostics | where TimeGenerated > ago(1h) | take 1";
/** The demo's workspace answers vetted templates only (no raw KQL): it is probed with the sample. */
export const DEMO_PROBE_TEMPLATE = "sample";
const PROBE_SERVER_TIMEOUT_SECONDS = 20;

/** The readers' own description of a request, where they have one (ArmActivityLog, ArmDeployments). */
interface DescribesActivity {
  request?(resourceId: string, start: Date, end: Date): ArmRequest;
}
interface DescribesDeployments {
  request?(resourceId: string): ArmRequest;
}

export interface PrerequisitesOptions {
  readonly metrics: AzureMetrics;
  readonly diagnostics: DiagnosticSettingsReader;
  /** Absent: the bot has no Log Analytics access, and the workspace check says so. */
  readonly logs: LogsBackend | undefined;
  /** The workspace a resource's logs are read from; throws a UserError saying what is missing. */
  readonly workspaces: (resourceId: string) => Promise<string>;
  readonly activity: ActivityLogReader & DescribesActivity;
  readonly deployments: DeploymentReader & DescribesDeployments;
  readonly resourceIds: readonly string[];
  readonly zone: string;
  readonly now?: () => Date;
  readonly timeoutMs?: number;
}

export const DOCTOR_COLUMNS: readonly ResultColumn[] = [
  { name: "resource", type: "string" },
  { name: "check", type: "string" },
  { name: "status", type: "string" },
  { name: "found", type: "string" },
  { name: "fix", type: "string" },
];

interface Row {
  readonly resourceId: string;
  readonly check: PrerequisiteCheck;
  readonly result: CheckResult;
}

export class Prerequisites {
  private readonly options: PrerequisitesOptions;
  private readonly now: () => Date;
  private readonly timeoutMs: number;

  constructor(options: PrerequisitesOptions) {
    this.options = options;
    this.now = options.now ?? (() => new Date());
    this.timeoutMs = options.timeoutMs ?? CHECK_TIMEOUT_MS;
  }

  /**
   * Every check on every resource, in parallel; never throws for a failed read (that is a ❌ row).
   * `resources`: only these (an asker's, scope.ts): a restricted one's deployments check counts its
   * visible deployments only. Absent: every configured resource.
   */
  async check(resources?: readonly Resource[]): Promise<TableAnswer> {
    const end = this.now();
    const start = new Date(end.getTime() - LOOKBACK_MS);
    const checked = resources ?? this.options.resourceIds.map((id): Resource => ({ id, name: resourceName(id), deployments: [] }));
    const perResource = checked.map((r) => this.reads(r, start, end));
    const rows = await Promise.all(perResource.flatMap(({ reads }) => PREREQUISITE_CHECKS.map((check) => this.run(check, reads))));
    const requests = perResource.flatMap((r) => r.requests);
    return {
      kind: "doctor",
      topic: "Prerequisites",
      zone: this.options.zone,
      table: {
        columns: DOCTOR_COLUMNS,
        rows: rows.map((r): Cell[] => [resourceName(r.resourceId), r.check.label, `${STATUS_MARK[r.result.status]} ${r.result.status === "ok" ? "ok" : r.result.status === "fail" ? "fails" : "check"}`, r.result.detail, r.result.remedy?.summary ?? ""]),
      },
      shownRows: rows.length,
      lines: [summary(rows, checked.length)],
      notes: rows.filter((r) => r.result.status !== "ok" && r.result.remedy !== undefined).map(fixNote),
      sources: requests.map(sourceOf),
      requests,
    };
  }

  private async run(check: PrerequisiteCheck, reads: ResourceReads): Promise<Row> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new AzureTimeoutError(`No answer within ${this.timeoutMs >= 1000 ? `${Math.round(this.timeoutMs / 1000)} s` : `${this.timeoutMs} ms`}.`, { hint: "Try `doctor` again in a minute; if it keeps happening, check https://status.azure.com." }));
      }, this.timeoutMs);
    });
    try {
      return { resourceId: reads.resourceId, check, result: await Promise.race([check.run(reads), limit]) };
    } catch (err) {
      return { resourceId: reads.resourceId, check, result: check.failed(err, reads.resourceId) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** One resource's reads, each sent once (when a check first asks), and the requests they are. */
  private reads(resource: Resource, start: Date, end: Date): { reads: ResourceReads; requests: (LogsRequest | ArmRequest)[] } {
    const resourceId = resource.id;
    const { metrics, diagnostics, logs, workspaces, activity, deployments } = this.options;
    const requests: (LogsRequest | ArmRequest)[] = [];
    const once = <T>(request: () => LogsRequest | ArmRequest, read: () => Promise<T>): (() => Promise<T>) => {
      let started: Promise<T> | undefined;
      return () => {
        if (started === undefined) {
          requests.push(request());
          started = read();
        }
        return started;
      };
    };
    const arm = (operation: string, filter?: string): ArmRequest => ({ api: "arm", operation, scope: resourceId, ...(filter === undefined ? {} : { filter }) });
    const window = `eventTimestamp ge '${iso(start)}' and eventTimestamp le '${iso(end)}'`;
    const queries = new Map<string, () => Promise<LogsOutcome>>();
    const reads: ResourceReads = {
      resourceId,
      definitions: once(() => arm("metricDefinitions.list"), (): Promise<MetricDefinition[]> => metrics.definitions(resourceId)),
      settings: once(() => arm("diagnosticSettings.list"), (): Promise<DiagnosticSetting[]> => diagnostics.list(resourceId)),
      workspace: (() => {
        let found: Promise<string> | undefined;
        return () => (found ??= workspaces(resourceId));
      })(),
      query: (workspace) => {
        if (logs === undefined) return undefined;
        let run = queries.get(workspace);
        if (run === undefined) {
          const request = probe(logs.kind, workspace, resourceId, start, end);
          run = once(() => request, () => logs.query(request));
          queries.set(workspace, run);
        }
        return run();
      },
      activity: once(() => activity.request?.(resourceId, start, end) ?? arm("activityLogs.list", window), async (): Promise<ActivityEvent[]> => (await activity.events(resourceId, start, end)).filter((e) => e.deployment === undefined || showsDeployment(resource, e.deployment))),
      deployments: once(
        () => deployments.request?.(resourceId) ?? arm("deployments.list"),
        async (): Promise<DeploymentLimits[]> => (await deployments.list(resourceId)).filter((d) => showsDeployment(resource, d.name)),
      ),
    };
    return { reads, requests };
  }
}

/** The workspace probe: a one-row raw query, or for the demo (templates only) the sample template. */
export function probe(kind: LogsBackend["kind"], workspace: string, resourceId: string, start: Date, end: Date): LogsRequest {
  const base = { api: "logs" as const, workspace, timespan: isoSpan({ start, end }), serverTimeoutSeconds: PROBE_SERVER_TIMEOUT_SECONDS };
  if (kind === "azure") return { ...base, query: WORKSPACE_PROBE_KQL };
  const params = { resourceIds: [resourceId], start, end };
  return { ...base, query: LOG_TEMPLATES[DEMO_PROBE_TEMPLATE].build(params), template: { id: DEMO_PROBE_TEMPLATE, params: { ...bindLogParams(DEMO_PROBE_TEMPLATE, params) } } };
}

function summary(rows: readonly Row[], resources: number): string {
  const failing = rows.filter((r) => r.result.status === "fail").length;
  const warning = rows.filter((r) => r.result.status === "warn").length;
  const on = `${resources} resource${resources === 1 ? "" : "s"}`;
  if (failing === 0 && warning === 0) return `${STATUS_MARK.ok} All ${rows.length} checks pass on ${on}.`;
  const parts = [...(failing > 0 ? [`${STATUS_MARK.fail} ${failing} check${failing === 1 ? "" : "s"} fail${failing === 1 ? "s" : ""}`] : []), ...(warning > 0 ? [`${STATUS_MARK.warn} ${warning} need${warning === 1 ? "s" : ""} a look`] : [])];
  return `${parts.join(", ")} on ${on}; the notes say what to do.`;
}

function fixNote(r: Row): string {
  const remedy = r.result.remedy;
  const command = remedy?.command === undefined ? "" : ` Run: \`${remedy.command}\``;
  return `${STATUS_MARK[r.result.status]} ${resourceName(r.resourceId)} · ${r.check.label}: ${remedy?.steps ?? ""}${command}`;
}

function sourceOf(r: LogsRequest | ArmRequest): string {
  if (r.api === "logs") return `Log Analytics workspace ${r.workspace}: ${r.template === undefined ? r.query : `the "${r.template.id}" template`} over ${r.timespan}`;
  return `Azure Resource Manager ${r.operation} on ${r.scope}${r.filter === undefined ? "" : ` ($filter=${r.filter})`}`;
}
