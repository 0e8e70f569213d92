// A loopback stand-in for Azure Resource Manager's Metrics API. Tests script its replies; the
// real @azure/arm-monitor client reaches it over HTTP through a forwarding httpClient, because
// the SDK refuses bearer tokens on plain-http URLs.
import type { IncomingHttpHeaders, Server } from "node:http";
import type { HttpClient } from "@azure/core-rest-pipeline";
import { close, forwardingHttpClient, listen } from "./loopback.ts";

export interface RecordedRequest {
  readonly method: string;
  /** Path with the SDK's doubled slashes collapsed. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
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
  handler: FakeHandler = () => ({ status: 404, body: { error: { code: "NoHandler", message: "test did not script this request" } } });
  private server: Server | undefined;
  private base = "";

  async start(): Promise<this> {
    const { server, base } = await listen((req, res) => {
      // the SDK sends `//subscriptions/...` for ids that start with "/": not a protocol-relative URL here
      const url = new URL(`http://fake${(req.url ?? "/").replace(/^\/+/, "/")}`);
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname.replace(/\/{2,}/g, "/"),
        query: Object.fromEntries(url.searchParams.entries()),
        headers: req.headers,
      };
      this.requests.push(recorded);
      void Promise.resolve(this.handler(recorded, this.requests.length)).then(async (reply) => {
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
    return forwardingHttpClient(this.base);
  }

  metricsRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith("/providers/Microsoft.Insights/metrics") && r.query.resultType !== "Metadata");
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
