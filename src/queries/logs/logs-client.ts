// The one module that talks to Log Analytics, through LogsQueryClient (@azure/monitor-query-logs).
// The SDK 1.0.0 has quirks this file absorbs (azure-monitor.md §1.4): it ignores abortSignal (so the
// bot races its own timeout and aborts the socket from a pipeline policy), uses `endpoint` verbatim
// (so it must end in /v1), ignores `audience` (so the token scope goes in credentials.scopes), and
// throws a TypeError instead of a RestError on a 204 or an error body without {"error": …} (so a
// policy keeps each response's status, headers and text, and failures are read from those).
import { randomUUID } from "node:crypto";
import type { TokenCredential } from "@azure/core-auth";
import { isRestError, type HttpClient, type HttpHeaders } from "@azure/core-rest-pipeline";
// the client is loaded on the first query: the demo and a start that never queries logs skip the package
import type { LogsQueryClient, LogsQueryResult, LogsTable } from "@azure/monitor-query-logs";
import { AzureAccessDeniedError, type UserError } from "../errors.ts";
import type { Cell, ColumnType, LogsRequest, ResultColumn, ResultTable } from "../table-answer.ts";
import type { LogsBackend, LogsOutcome } from "./logs-backend.ts";
import {
  LogsAccessDeniedError,
  LogsQueryRejectedError,
  LogsRequestError,
  LogsServerTimeoutError,
  LogsThrottledError,
  LogsTimeoutError,
  LogsUnreadableResponseError,
  LogsWorkspaceNotFoundError,
} from "./log-errors.ts";

export const DEFAULT_LOGS_ENDPOINT = "https://api.loganalytics.io/v1";

/** Beyond the server timeout the bot asks for (Prefer: wait=…), how long it still waits for the 504. */
const TIMEOUT_SLACK_MS = 10_000;

export interface AzureLogsOptions {
  readonly credential: TokenCredential;
  /** The query API, e.g. https://api.loganalytics.io (sovereign clouds: .us, .azure.cn); "/v1" is added when missing. */
  readonly endpoint?: string;
  /** Replaces the network (tests route requests to a loopback fake). */
  readonly httpClient?: HttpClient;
  /** The bot's own limit per query; default: the request's server timeout plus 10 s. */
  readonly timeoutMs?: number;
}

/** What the pipeline saw of one call's response (the SDK's error may have lost it). */
interface Received {
  readonly status: number;
  readonly headers: HttpHeaders;
  readonly text: string | undefined;
}

interface Call {
  readonly signal: AbortSignal;
  received?: Received;
}

const COLUMN_TYPES: ReadonlySet<string> = new Set<ColumnType>(["bool", "datetime", "dynamic", "int", "long", "real", "string", "guid", "decimal", "timespan"]);
const WORKSPACE_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class AzureLogs implements LogsBackend {
  readonly kind = "azure";
  private readonly options: AzureLogsOptions;
  private client: Promise<LogsQueryClient> | undefined;
  private readonly timeoutMs: number | undefined;
  private readonly calls = new Map<string, Call>();
  /** Queries sent, for "how many calls did that cost". */
  requestCount = 0;

  constructor(options: AzureLogsOptions) {
    this.options = options;
    this.timeoutMs = options.timeoutMs;
  }

  private clientOf(): Promise<LogsQueryClient> {
    this.client ??= import("@azure/monitor-query-logs").then(({ LogsQueryClient }) => this.created(new LogsQueryClient(this.options.credential, this.clientOptions())));
    return this.client;
  }

  private clientOptions(): ConstructorParameters<typeof LogsQueryClient>[1] {
    const options = this.options;
    const endpoint = logsEndpoint(options.endpoint ?? DEFAULT_LOGS_ENDPOINT);
    return {
      endpoint,
      credentials: { scopes: [`${new URL(endpoint).origin}/.default`] },
      // a queued query already waited; a 504 already spent the server timeout: another try only makes a person wait longer
      retryOptions: { maxRetries: 0 },
      ...(options.httpClient === undefined ? {} : { httpClient: options.httpClient }),
    };
  }

  private created(client: LogsQueryClient): LogsQueryClient {
    client.pipeline.addPolicy({
      name: "aoaiLogsCall",
      sendRequest: async (request, next) => {
        const call = this.calls.get(request.headers.get("x-ms-client-request-id") ?? "");
        if (call !== undefined) request.abortSignal = call.signal;
        const response = await next(request);
        if (call !== undefined) call.received = { status: response.status, headers: response.headers, text: response.bodyAsText ?? undefined };
        return response;
      },
    });
    return client;
  }

  async query(req: LogsRequest): Promise<LogsOutcome> {
    this.requestCount++;
    // our own id, sent as x-ms-client-request-id: the policy finds the call by it, and a timeout can quote it
    const id = randomUUID();
    const abort = new AbortController();
    const call: Call = { signal: abort.signal };
    this.calls.set(id, call);
    const timeoutMs = this.timeoutMs ?? req.serverTimeoutSeconds * 1000 + TIMEOUT_SLACK_MS;
    const ours = () => new LogsTimeoutError(`Log Analytics did not answer within ${seconds(timeoutMs)} (workspace ${req.workspace}, request id ${id}).`, {
      hint: "Try again, or ask about a shorter window. If it keeps happening, check https://status.azure.com.",
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(ours());
        // closes the socket too (the policy gave the request this signal)
        abort.abort();
      }, timeoutMs);
    });
    try {
      const result = await Promise.race([this.send(req, id), timedOut]);
      if (call.received?.status === 204) return { status: "no-data" };
      return outcomeOf(result, call.received);
    } catch (err) {
      if (abort.signal.aborted) throw err instanceof LogsTimeoutError ? err : ours();
      if (call.received?.status === 204) return { status: "no-data" };
      throw translate(err, call.received, req, id);
    } finally {
      clearTimeout(timer);
      this.calls.delete(id);
    }
  }

  private async send(req: LogsRequest, id: string): Promise<LogsQueryResult> {
    const [start, end] = req.timespan.split("/").map((t) => new Date(t));
    if (start === undefined || end === undefined || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
      throw new Error(`timespan "${req.timespan}" is not <startISO>/<endISO>`);
    }
    const options = { serverTimeoutInSeconds: req.serverTimeoutSeconds, includeQueryStatistics: true, requestOptions: { headers: { "x-ms-client-request-id": id } } };
    const timespan = { startTime: start, endTime: end };
    const client = await this.clientOf();
    return WORKSPACE_GUID.test(req.workspace)
      ? client.queryWorkspace(req.workspace, req.query, timespan, options)
      : client.queryResource(req.workspace, req.query, timespan, options);
  }
}

/** The query API's base URL with its version path (LogsQueryClient 1.0.0 uses `endpoint` verbatim). */
export function logsEndpoint(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, "");
  return /\/v1$/i.test(base) ? base : `${base}/v1`;
}

function outcomeOf(result: LogsQueryResult, received: Received | undefined): LogsOutcome {
  const stats = statisticsLine(result.statistics);
  const withStats = stats === undefined ? {} : { statistics: stats };
  if ("partialTables" in result) {
    // the SDK drops nested innererrors; the body as received still has the detail worth showing
    const raw = errorObject(received?.text) ?? result.partialError;
    return { status: "partial", table: tableOf(result.partialTables[0]), error: errorText(raw) ?? "Log Analytics did not say why.", ...withStats };
  }
  return { status: "complete", table: tableOf(result.tables[0]), ...withStats };
}

function tableOf(t: LogsTable | undefined): ResultTable {
  if (t === undefined) return { columns: [], rows: [] };
  const columns: ResultColumn[] = t.columnDescriptors.map((c, i) => ({ name: c.name ?? `column${String(i + 1)}`, type: COLUMN_TYPES.has(c.type ?? "") ? c.type : "string" }));
  return { columns, rows: t.rows.map((row) => row.map(cellOf)) };
}

/** Datetimes (the SDK makes Dates) as ISO strings, dynamic values as their JSON, null kept as null. */
function cellOf(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return JSON.stringify(v);
}

/** "12 ms, 4,210 rows scanned" from Prefer: include-statistics (statistics.query.executionTime is in seconds). */
export function statisticsLine(statistics: unknown): string | undefined {
  const q = (statistics as { query?: { executionTime?: unknown; inputDatasetStatistics?: { rows?: { scanned?: unknown } } } } | undefined)?.query;
  const parts: string[] = [];
  const t = q?.executionTime;
  if (typeof t === "number" && Number.isFinite(t)) parts.push(t < 1 ? `${String(Math.max(1, Math.round(t * 1000)))} ms` : `${t.toFixed(1)} s`);
  const scanned = q?.inputDatasetStatistics?.rows?.scanned;
  if (typeof scanned === "number" && Number.isFinite(scanned)) parts.push(`${scanned.toLocaleString("en-US")} rows scanned`);
  return parts.length > 0 ? parts.join(", ") : undefined;
}

interface OneApiError {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly correlationId?: unknown;
  readonly innererror?: OneApiError;
  readonly details?: readonly OneApiError[];
}

/** The `error` object of a OneAPI body, when the text is one. */
function errorObject(text: string | undefined): OneApiError | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    const body = JSON.parse(text) as { error?: unknown } | null;
    return typeof body?.error === "object" && body.error !== null ? body.error : undefined;
  } catch {
    return undefined;
  }
}

/** The most specific message: the innermost innererror (through the first detail), which names the column or operator at fault. */
function innermost(e: OneApiError): string | undefined {
  const deeper = e.innererror ?? e.details?.[0];
  const inner = deeper === undefined ? undefined : innermost(deeper);
  return inner ?? (typeof e.message === "string" && e.message !== "" ? e.message : undefined);
}

/** "The request had some invalid properties: 'summarize' operator: Failed to resolve …" */
function errorText(e: OneApiError | undefined): string | undefined {
  if (e === undefined) return undefined;
  const top = typeof e.message === "string" ? e.message : undefined;
  const deep = innermost(e);
  if (top === undefined) return deep;
  return deep === undefined || deep === top ? top : `${top.replace(/[.:]\s*$/, "")}: ${deep}`;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${String(Math.round(ms / 1000))} s` : `${String(ms)} ms`;
}

/** A failed query, as a person can act on it: which role on which workspace, how long to wait, what the server said. */
function translate(err: unknown, received: Received | undefined, req: LogsRequest, clientRequestId: string): UserError {
  const status = received?.status ?? (isRestError(err) ? err.statusCode : undefined);
  const error = errorObject(received?.text);
  const requestId = (typeof error?.correlationId === "string" ? error.correlationId : undefined) ?? received?.headers.get("x-ms-request-id") ?? clientRequestId;
  const ref = ` (workspace ${req.workspace}, request id ${requestId})`;
  const said = errorText(error);
  const azureSaid = said === undefined ? "" : ` Azure said: ${said}`;
  const cause = { cause: err };
  if (status === 403) {
    return new LogsAccessDeniedError(req.workspace, {
      hint: `Assign the bot's identity the "Log Analytics Reader" role on ${WORKSPACE_GUID.test(req.workspace) ? `the workspace with id ${req.workspace}` : req.workspace} (or its resource group), or the narrower "Log Analytics Data Reader". New role assignments can take up to an hour to apply.${azureSaid}`,
      ...cause,
    });
  }
  if (status === 401) {
    return new AzureAccessDeniedError(`Log Analytics rejected the bot's credentials${ref}.`, { hint: `Check AZURE_TENANT_ID / AZURE_CLIENT_ID and the secret, certificate or managed identity the bot runs with.${azureSaid}`, ...cause });
  }
  if (status === 400) {
    const message = `Log Analytics refused the query: ${innermost(error ?? {}) ?? "it did not say why"}${ref}.`;
    return new LogsQueryRejectedError(message, {
      hint: req.template === undefined ? "Fix the KQL and try again; the query runs as typed." : `The built-in "${req.template.id}" query failed on this workspace; that is a bug worth reporting.`,
      ...cause,
    });
  }
  if (status === 429) {
    const retryAfter = Number.parseInt(received?.headers.get("retry-after") ?? "", 10);
    return new LogsThrottledError(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 0, {
      hint: "Log Analytics allows each identity 5 queries at a time and 200 per 30 s; ask again in a moment.",
      ...cause,
    });
  }
  if (status === 504) {
    return new LogsServerTimeoutError(`The query ran past the ${String(req.serverTimeoutSeconds)} s Log Analytics was given for it${ref}.`, {
      hint: "Ask about a shorter window or fewer deployments.",
      ...cause,
    });
  }
  if (status === 404) {
    return new LogsWorkspaceNotFoundError(`Log Analytics knows no workspace ${req.workspace}${ref}.`, {
      hint: "Check workspaceId / AOAI_WORKSPACE_ID: the workspace ID (a GUID, on the workspace's Overview page) or its resource ID.",
      ...cause,
    });
  }
  if (status === 200 || (isRestError(err) && err.code === "PARSE_ERROR")) {
    return new LogsUnreadableResponseError(`Log Analytics sent a response the bot could not read${ref}.`, { hint: "Try again; if it keeps happening, report it with the request id.", ...cause });
  }
  if (status !== undefined && status !== 0) {
    return new LogsRequestError(`Log Analytics answered HTTP ${String(status)}${said === undefined ? "" : `: ${said}`}${ref}.`, {
      hint: status >= 500 ? "This is on Azure's side; try again in a minute." : "Try again; if it persists, this is a bug worth reporting.",
      ...cause,
    });
  }
  // @azure/identity's CredentialUnavailableError / AuthenticationError / AggregateAuthenticationError
  if (err instanceof Error && /Credential|Authentication/.test(err.name)) {
    return new AzureAccessDeniedError(`The bot could not get an Azure token for Log Analytics: ${err.message.split("\n")[0] ?? ""}`, {
      hint: "Run `az login`, set AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, or run with a managed identity. Or use `--source demo`.",
      ...cause,
    });
  }
  return new LogsRequestError(`Could not reach Log Analytics: ${err instanceof Error ? err.message : String(err)}${ref}.`, { hint: "Check the network and the Log Analytics endpoint.", ...cause });
}
