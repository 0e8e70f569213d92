// A loopback stand-in for Azure Resource Manager's Metrics API (and, through batchRoute, the
// data-plane metrics:getBatch). Tests script its replies; the real @azure/arm-monitor and
// @azure/monitor-query-metrics clients reach it over HTTP through a forwarding httpClient, because
// the SDKs refuse bearer tokens on plain-http URLs.
import type { IncomingHttpHeaders, Server } from "node:http";
import type { HttpClient } from "@azure/core-rest-pipeline";
import { close, forwardingHttpClient, listen, readBody } from "./loopback.ts";

export interface RecordedRequest {
  readonly method: string;
  /** Path with the SDK's doubled slashes collapsed. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** The request body as sent (metrics:getBatch carries its resource ids there). */
  readonly body?: string;
}

export interface FakeReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Hold the reply this long (timeouts). */
  readonly delayMs?: number;
  /** Drop the connection instead of answering (a reset mid-request). */
  readonly reset?: boolean;
}

export type FakeHandler = (req: RecordedRequest, n: number) => FakeReply | Promise<FakeReply>;

export class FakeAzureMonitor {
  readonly requests: RecordedRequest[] = [];
  /** Every URL the clients sent to, before forwarding: which host (a region's metrics endpoint, Resource Manager) each went to. */
  readonly sentUrls: string[] = [];
  handler: FakeHandler = () => ({ status: 404, body: { error: { code: "NoHandler", message: "test did not script this request" } } });
  private server: Server | undefined;
  private base = "";

  async start(): Promise<this> {
    const { server, base } = await listen((req, res) => {
      // the SDK sends `//subscriptions/...` for ids that start with "/": not a protocol-relative URL here
      const url = new URL(`http://fake${(req.url ?? "/").replace(/^\/+/, "/")}`);
      void readBody(req).then((body) => {
        const recorded: RecordedRequest = {
          method: req.method ?? "GET",
          path: url.pathname.replace(/\/{2,}/g, "/"),
          query: Object.fromEntries(url.searchParams.entries()),
          headers: req.headers,
          ...(body === "" ? {} : { body }),
        };
        this.requests.push(recorded);
        return Promise.resolve(this.handler(recorded, this.requests.length));
      }).then(async (reply) => {
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        if (res.destroyed) return;
        if (reply.reset === true) {
          req.socket.destroy();
          return;
        }
        res.writeHead(reply.status, { "content-type": "application/json", "x-ms-request-id": `req-${this.requests.length}`, ...reply.headers });
        res.end(reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
      });
    });
    this.server = server;
    this.base = base;
    return this;
  }

  /** An httpClient for the Azure SDK that sends every request here instead of to Azure. */
  httpClient(): HttpClient {
    const forward = forwardingHttpClient(this.base);
    return {
      sendRequest: (request) => {
        this.sentUrls.push(request.url);
        return forward.sendRequest(request);
      },
    };
  }

  metricsRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith("/providers/Microsoft.Insights/metrics") && r.query.resultType !== "Metadata");
  }

  /** The metrics:getBatch calls received. */
  batchRequests(): RecordedRequest[] {
    return this.requests.filter((r) => BATCH_PATH.test(r.path));
  }

  close(): Promise<void> {
    return close(this.server);
  }
}

export const fakeCredential = {
  scopes: [] as string[][],
  getToken(scopes: string | string[]) {
    this.scopes.push(Array.isArray(scopes) ? scopes : [scopes]);
    return Promise.resolve({ token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 });
  },
};

const BATCH_PATH = /^\/subscriptions\/([^/]+)\/metrics:getBatch$/i;

export interface BatchRouteOptions {
  /**
   * Whether the identity has Monitoring Reader on the subscription. Without it the service refuses
   * every batch call with 403 (AuthorizationFailed on Microsoft.Insights/metrics/read at the
   * subscription), while each account's own Metrics - List still answers.
   */
  readonly subscriptionAccess: boolean;
}

/**
 * `perResource` (a Metrics - List handler) plus POST /subscriptions/{sub}/metrics:getBatch in the
 * service's wire format (spec 2024-02-01): each id of the body's `resourceids` answered as its own
 * Metrics - List request would be (timespan from starttime/endtime, `$filter` from `filter`), and
 * returned as `{values:[{starttime, endtime, interval, namespace, resourceregion, resourceid,
 * value}]}`. An account whose own request does not answer 200 is left out of `values`.
 */
export function batchRoute(perResource: FakeHandler, options: BatchRouteOptions): FakeHandler {
  return async (req, n) => {
    const batch = BATCH_PATH.exec(req.path);
    if (batch === null) return perResource(req, n);
    const subscription = batch[1] ?? "";
    if (req.method !== "POST") return { status: 405, body: { error: { code: "MethodNotAllowed", message: `The requested resource does not support http method '${req.method}'.` } } };
    if (!options.subscriptionAccess) {
      return {
        status: 403,
        body: { error: { code: "AuthorizationFailed", message: `The client 'bot' does not have authorization to perform action 'Microsoft.Insights/metrics/read' over scope '/subscriptions/${subscription}' or the scope is invalid.` } },
      };
    }
    const { resourceids } = JSON.parse(req.body ?? "{}") as { resourceids?: string[] };
    if (!Array.isArray(resourceids) || resourceids.length === 0 || resourceids.length > 50) {
      return { status: 400, body: { error: { code: "BadRequest", message: "resourceids must list 1 to 50 resource ids." } } };
    }
    const { starttime, endtime, filter, ...rest } = req.query;
    const values: unknown[] = [];
    for (const id of resourceids) {
      const query: Record<string, string> = { ...rest, timespan: `${starttime}/${endtime}`, ...(filter === undefined ? {} : { $filter: filter }) };
      const reply = await perResource({ method: "GET", path: `${id}/providers/Microsoft.Insights/metrics`, query, headers: req.headers }, n);
      if (reply.status !== 200) continue;
      // the batch names its window by starttime/endtime, not Metrics - List's timespan
      const body: Record<string, unknown> = { ...(reply.body as Record<string, unknown>) };
      delete body.timespan;
      values.push({ starttime, endtime, interval: req.query.interval, namespace: req.query.metricnamespace, resourceregion: "swedencentral", ...body, resourceid: id });
    }
    return { status: 200, body: { values } };
  };
}
