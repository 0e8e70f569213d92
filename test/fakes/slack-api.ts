// A loopback Slack Web API and response_url sink. Records what the bot sent, as Slack would receive it
// (form-encoded with JSON-encoded nested fields), and can answer a call with a 429.
import type { Server } from "node:http";
import { close, listen, readBody, waitFor } from "./loopback.ts";

export interface SlackCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly at: number;
  /** What the fake answered, e.g. the ts of a posted message. */
  readonly result: Record<string, unknown>;
}

export interface ResponseUrlPost {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

const JSON_FIELDS = new Set(["blocks", "attachments", "metadata"]);

export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  private readonly failures = new Map<string, { status: number; retryAfter: number }[]>();
  private server: Server | undefined;
  url = "";
  private ts = 0;

  async start(): Promise<this> {
    const { server, base } = await listen((req, res) => {
      void readBody(req).then((raw) => {
        const path = req.url ?? "/";
        if (path.startsWith("/hooks/")) {
          this.responses.push({ path, body: JSON.parse(raw || "{}") as Record<string, unknown> });
          res.writeHead(200, { "content-type": "text/plain" }).end("ok");
          return;
        }
        const method = path.replace(/^\/api\//, "").split("?")[0] ?? "";
        const failure = this.failures.get(method)?.shift();
        if (failure) {
          res.writeHead(failure.status, { "retry-after": String(failure.retryAfter), "content-type": "application/json" }).end(JSON.stringify({ ok: false, error: "ratelimited" }));
          return;
        }
        const args = parseArgs(raw, req.headers["content-type"] ?? "");
        const result = this.reply(method, args);
        this.calls.push({ method, args, at: Date.now(), result });
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
      });
    });
    this.server = server;
    this.url = base;
    return this;
  }

  /** The next `count` calls of `method` get this status (429 with Retry-After by default). */
  fail(method: string, count = 1, status = 429, retryAfter = 1): void {
    this.failures.set(method, Array.from({ length: count }, () => ({ status, retryAfter })));
  }

  posts(method: "chat.postMessage" | "chat.update"): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  waitFor<T>(probe: () => T | undefined, timeoutMs = 8_000): Promise<T> {
    return waitFor(probe, () => `calls so far: ${this.calls.map((c) => c.method).join(", ")}; responses: ${this.responses.length}`, timeoutMs);
  }

  close(): Promise<void> {
    return close(this.server);
  }

  private reply(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return { ok: true, url: "https://example.slack.com/", team: "Example", user: "aoai", team_id: "T0001", user_id: "UBOT", bot_id: "BBOT" };
      case "chat.postMessage":
        this.ts++;
        return { ok: true, channel: args.channel, ts: `1764400000.${String(this.ts).padStart(6, "0")}`, message: {} };
      case "chat.update":
        return { ok: true, channel: args.channel, ts: args.ts };
      default:
        return { ok: true };
    }
  }
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes("application/json")) return JSON.parse(raw || "{}") as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = JSON_FIELDS.has(k) ? (JSON.parse(v) as unknown) : v;
  return out;
}
