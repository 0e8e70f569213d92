// A loopback Bot Connector (the Teams side of the Bot Framework REST API). Records replies and updates
// as Teams would receive them; conversation ids arrive percent-encoded or not, so both are accepted.
// Failures are lined up per HTTP method, or narrowed to one conversation and activity type (so a
// typing indicator does not take a failure meant for the answer); shown() is what a conversation
// displays once its edits are applied.
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AuthConfiguration, AuthProvider, Connections } from "@microsoft/agents-hosting";
import { close, listen, readBody, waitFor } from "./loopback.ts";

export interface ConnectorCall {
  readonly method: string;
  readonly conversationId: string;
  /** The activity replied to (POST …/activities/{id}) or updated (PUT). */
  readonly activityId: string | undefined;
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
  /** The id the fake gave a created activity. */
  readonly createdId: string | undefined;
  /** When it arrived (Date.now()). */
  readonly at: number;
}

/** A call answered with a lined-up failure (not in `calls`): a retry's delay is measured from `at`. */
export interface FailedConnectorCall {
  readonly method: string;
  readonly conversationId: string;
  readonly status: number;
  readonly at: number;
  readonly body: Record<string, unknown>;
}

export class FakeBotConnector {
  readonly calls: ConnectorCall[] = [];
  readonly failed: FailedConnectorCall[] = [];
  private readonly failures: { method: string; status: number; retryAfter?: number; conversation?: string; type?: string }[] = [];
  private server: Server | undefined;
  url = "";
  private n = 0;

  async start(): Promise<this> {
    const { server, base } = await listen((req, res) => {
      void readBody(req).then((raw) => {
        const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? "");
        if (!m) {
          res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "NotFound", message: req.url } }));
          return;
        }
        const conversation = decodeURIComponent(m[1] ?? "");
        const type = (JSON.parse(raw || "{}") as { type?: unknown }).type;
        const failure = this.failures.findIndex((f) => f.method === req.method && (f.conversation === undefined || f.conversation === conversation) && (f.type === undefined || f.type === type));
        if (failure >= 0) {
          const f = this.failures.splice(failure, 1)[0]!;
          this.failed.push({ method: req.method ?? "", conversationId: decodeURIComponent(m[1] ?? ""), status: f.status, at: Date.now(), body: JSON.parse(raw || "{}") as Record<string, unknown> });
          res.writeHead(f.status, { "content-type": "application/json", ...(f.retryAfter === undefined ? {} : { "retry-after": String(f.retryAfter) }) }).end(JSON.stringify({ error: { code: "Throttled", message: "slow down" } }));
          return;
        }
        const createdId = req.method === "POST" ? `bot-activity-${++this.n}` : undefined;
        this.calls.push({ method: req.method ?? "", conversationId: decodeURIComponent(m[1] ?? ""), activityId: m[2] === undefined ? undefined : decodeURIComponent(m[2]), body: JSON.parse(raw || "{}") as Record<string, unknown>, headers: req.headers, createdId, at: Date.now() });
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: createdId ?? m[2] ?? "" }));
      });
    });
    this.server = server;
    this.url = `${base}/`;
    return this;
  }

  /** The next `count` calls with this HTTP method fail with `status`. */
  fail(method: "POST" | "PUT", status: number, retryAfter?: number, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push({ method, status, ...(retryAfter === undefined ? {} : { retryAfter }) });
  }

  /** Like fail, for calls into one conversation only, and of one activity type when given ("message": not the typing indicator). */
  failIn(conversation: string, method: "POST" | "PUT", status: number, options: { retryAfter?: number; count?: number; type?: string } = {}): void {
    for (let i = 0; i < (options.count ?? 1); i++) this.failures.push({ method, status, conversation, ...(options.retryAfter === undefined ? {} : { retryAfter: options.retryAfter }), ...(options.type === undefined ? {} : { type: options.type }) });
  }

  /** The conversation's message activities as its members see them: created by POST, in order, each with its latest PUT applied. */
  shown(conversationId: string): { id: string; body: Record<string, unknown> }[] {
    const shown = new Map<string, Record<string, unknown>>();
    for (const c of this.calls) {
      if (c.conversationId !== conversationId) continue;
      if (c.method === "POST" && c.body.type === "message" && c.createdId) shown.set(c.createdId, c.body);
      else if (c.method === "PUT" && c.activityId !== undefined && shown.has(c.activityId)) shown.set(c.activityId, c.body);
    }
    return [...shown].map(([id, body]) => ({ id, body }));
  }

  messages(conversationId: string): ConnectorCall[] {
    return this.calls.filter((c) => c.conversationId === conversationId && c.body.type === "message");
  }

  waitFor<T>(probe: () => T | undefined, timeoutMs = 8_000): Promise<T> {
    return waitFor(probe, () => `connector calls: ${this.calls.map((c) => `${c.method} ${c.conversationId} ${String(c.body.type)}`).join(", ")}`, timeoutMs);
  }

  close(): Promise<void> {
    return close(this.server);
  }
}

/** The card a user sees in a message activity, or undefined. */
export function cardOf(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const attachments = body.attachments as { contentType?: string; content?: Record<string, unknown> }[] | undefined;
  return attachments?.find((a) => a.contentType === "application/vnd.microsoft.card.adaptive")?.content;
}

/** Stands in for Entra when the bot asks for a token to call the Bot Connector (which takes any). */
export const OUTBOUND_TOKEN = "fake-outbound-token";

export function fakeOutboundConnections(authConfig: AuthConfiguration): Connections {
  const provider = {
    getAccessToken: () => Promise.resolve(OUTBOUND_TOKEN),
    getAgenticApplicationToken: () => Promise.resolve(""),
    getAgenticInstanceToken: () => Promise.resolve(""),
    getAgenticUserToken: () => Promise.resolve(""),
    acquireTokenOnBehalfOf: () => Promise.resolve(""),
  } as unknown as AuthProvider;
  return {
    getConnection: () => provider,
    getDefaultConnection: () => provider,
    getTokenProvider: () => provider,
    getTokenProviderFromActivity: () => provider,
    getDefaultConnectionConfiguration: () => authConfig,
  };
}
