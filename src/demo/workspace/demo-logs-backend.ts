// The demo's Log Analytics workspace: answers the vetted log templates (LogsRequest.template) from
// the same DemoTraffic the simulated metrics serve, so a log answer and a metric answer about the
// same window agree (requests and status codes exactly, latencies per minute on average). Raw KQL
// needs a real workspace: there is no KQL engine here, only the templates' answers.
import type { LogsBackend, LogsOutcome } from "../../queries/logs/logs-backend.ts";
import { KqlNeedsWorkspaceError, LogsWorkspaceNotFoundError } from "../../queries/logs/log-errors.ts";
import type { LogsRequest, ResultTable } from "../../queries/table-answer.ts";
import type { DemoTraffic } from "../traffic.ts";
import { absence, callers, errorCodes, errorsByDeployment, percentiles } from "./count-answers.ts";
import { logsWindow } from "./log-ingestion.ts";
import { azureMetrics, failedRequests, sample } from "./row-answers.ts";
import { readParams, type WorkspaceParams } from "./template-params.ts";
import { DEMO_WORKSPACE_ID, DEMO_WORKSPACE_RESOURCE_ID, isDemoWorkspace } from "./workspace-identity.ts";
import type { WorkspaceRead } from "./workspace-read.ts";

const ANSWERS: Readonly<Record<string, (q: WorkspaceRead) => ResultTable>> = {
  percentiles,
  "errors-by-deployment": errorsByDeployment,
  "error-codes": errorCodes,
  "failed-requests": failedRequests,
  callers,
  sample,
  "azure-metrics": azureMetrics,
  absence,
};

export interface DemoLogsBackendOptions {
  /** The simulator's traffic (SimulatedAzureMonitor.traffic): the same seed, so logs match its metrics. */
  readonly traffic: DemoTraffic;
  /** The simulator's clock: decides which minutes have landed. */
  readonly now?: () => Date;
}

export class DemoLogsBackend implements LogsBackend {
  readonly kind = "demo";
  private readonly traffic: DemoTraffic;
  private readonly now: () => Date;

  constructor(options: DemoLogsBackendOptions) {
    this.traffic = options.traffic;
    this.now = options.now ?? (() => new Date());
  }

  query(request: LogsRequest): Promise<LogsOutcome> {
    try {
      return Promise.resolve(this.answer(request));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private answer(request: LogsRequest): LogsOutcome {
    const template = request.template;
    if (template === undefined) {
      throw new KqlNeedsWorkspaceError("Raw KQL needs a real Log Analytics workspace: the demo's simulated workspace answers only the built-in log questions (latency percentiles, errors by deployment, error codes, failed requests, top callers, logs sample, logs metrics, silent deployments).", {
        hint: "Run against Azure: set AOAI_RESOURCE_IDS (or `resources:` in aoai.config.yaml) and use --source azure. The workspace is the one the resource's diagnostic setting sends RequestResponse logs to, or set `workspaceId` per resource (or AOAI_WORKSPACE_ID); the bot's identity needs Log Analytics Reader (or Log Analytics Data Reader) on it.",
      });
    }
    if (!isDemoWorkspace(request.workspace)) {
      throw new LogsWorkspaceNotFoundError(`The demo has no Log Analytics workspace ${request.workspace}.`, { hint: `Its only workspace is ${DEMO_WORKSPACE_ID} (${DEMO_WORKSPACE_RESOURCE_ID}).` });
    }
    const answer = ANSWERS[template.id];
    if (answer === undefined) throw new Error(`the demo workspace has no answer for the "${template.id}" log template`);
    const params = narrowed(readParams(template.params), request.timespan);
    const table = answer({ traffic: this.traffic, landed: logsWindow(this.traffic.seed, this.now().getTime()), params });
    return { status: "complete", table };
  }
}

/** The query API intersects the request's timespan with the query's own time filter. */
function narrowed(params: WorkspaceParams, timespan: string): WorkspaceParams {
  const [from, to] = timespan.split("/").map((s) => Date.parse(s));
  if (from === undefined || to === undefined || Number.isNaN(from) || Number.isNaN(to)) return params;
  return { ...params, start: Math.max(params.start, from), end: Math.min(params.end, to), ...(params.since === undefined ? {} : { since: Math.max(params.since, from) }) };
}
