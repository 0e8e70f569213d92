// A loopback stand-in for the Log Analytics query API (v1), speaking its documented wire format:
//   POST /v1/workspaces/{workspaceId}/query   (workspace-centric)
//   POST /v1{resourceId}/query                (resource-centric; the SDK sends /v1//subscriptions/…)
//   body {"query": "<KQL>", "timespan": "<start>/<end>", "workspaces"?: [...]}, header Prefer: wait=N,include-statistics=true
//   200 {"tables":[{"name","columns":[{"name","type"}],"rows":[[…]]}], "statistics"?, "error"? (PartialError)}
//   204 (no data), or a OneAPI error {"error":{"code","message","innererror"?}} with a non-2xx status.
// Tests script the replies; every request is recorded with its body and Prefer header. The real
// LogsQueryClient reaches it through `httpClient()`, because the SDK refuses bearer tokens over http.
import type { IncomingHttpHeaders, Server } from "node:http";
import type { HttpClient } from "@azure/core-rest-pipeline";
import { close, forwardingHttpClient, listen, readBody } from "./loopback.ts";

export interface LogsQueryBody {
  readonly query?: string;
  readonly timespan?: string;
  readonly workspaces?: readonly string[];
}

export interface RecordedLogsRequest {
  readonly method: string;
  /** Path with the SDK's doubled slashes collapsed. */
  readonly path: string;
  /** "workspace" for /v1/workspaces/{id}/query, "resource" for /v1{resourceId}/query. */
  readonly target: { readonly kind: "workspace" | "resource"; readonly id: string } | undefined;
  readonly body: LogsQueryBody;
  readonly rawBody: string;
  readonly prefer: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

export interface LogsReply {
  readonly status: number;
  /** JSON-serialised unless a string (sent as is). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly delayMs?: number;
  /** Never answer (the client's own timeout must fire). */
  readonly hang?: boolean;
  /** Drop the connection instead of answering (a reset mid-request). */
  readonly reset?: boolean;
}

export type LogsHandler = (req: RecordedLogsRequest, n: number) => LogsReply | Promise<LogsReply>;

/** A column as the query API describes it. */
export interface WireColumn {
  readonly name: string;
  readonly type: string;
}

/** A 200 body with one PrimaryResult table. */
export function tableBody(columns: readonly WireColumn[], rows: readonly (readonly unknown[])[], extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { tables: [{ name: "PrimaryResult", columns, rows }], ...extra };
}

export class FakeLogAnalytics {
  readonly requests: RecordedLogsRequest[] = [];
  handler: LogsHandler = () => ({ status: 404, body: { error: { code: "PathNotFoundError", message: "test did not script this request" } } });
  private server: Server | undefined;
  private base = "";

  async start(): Promise<this> {
    const { server, base } = await listen((req, res) => {
      void readBody(req).then(async (raw) => {
        const path = new URL(`http://fake${(req.url ?? "/").replace(/^\/+/, "/")}`).pathname.replace(/\/{2,}/g, "/");
        const recorded: RecordedLogsRequest = {
          method: req.method ?? "POST",
          path,
          target: targetOf(path),
          body: parse(raw),
          rawBody: raw,
          prefer: typeof req.headers.prefer === "string" ? req.headers.prefer : undefined,
          headers: req.headers,
        };
        this.requests.push(recorded);
        const reply = await this.handler(recorded, this.requests.length);
        if (reply.hang) return;
        if (reply.reset === true) {
          req.socket.destroy();
          return;
        }
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        if (res.destroyed) return;
        const text = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status, { ...(reply.status === 204 ? {} : { "content-type": "application/json; charset=utf-8" }), "x-ms-request-id": `req-${this.requests.length}`, ...reply.headers });
        res.end(reply.status === 204 ? undefined : text);
      });
    });
    this.server = server;
    this.base = base;
    return this;
  }

  /** An httpClient for the Azure SDK that sends every request here instead of to api.loganalytics.io. */
  httpClient(): HttpClient {
    return forwardingHttpClient(this.base);
  }

  close(): Promise<void> {
    return close(this.server);
  }
}

function targetOf(path: string): RecordedLogsRequest["target"] {
  const workspace = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(path);
  if (workspace) return { kind: "workspace", id: decodeURIComponent(workspace[1] ?? "") };
  const resource = /^\/v1(\/subscriptions\/.+)\/query$/i.exec(path);
  if (resource) return { kind: "resource", id: decodeURIComponent(resource[1] ?? "") };
  return undefined;
}

function parse(raw: string): LogsQueryBody {
  try {
    const v = JSON.parse(raw) as unknown;
    return typeof v === "object" && v !== null ? (v) : {};
  } catch {
    return {};
  }
}
