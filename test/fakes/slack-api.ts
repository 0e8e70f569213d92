// A loopback Slack Web API and response_url sink. Records what the bot sent, as Slack would receive it
// (form-encoded with JSON-encoded nested fields), and can answer a call with a 429. Posted messages
// are kept per channel with their metadata and read back by conversations.history as the Web API
// does; a call can be held (accepted, its answer withheld) while a test kills the caller. Files are
// uploaded as Slack's external upload flow has it: files.getUploadURLExternal hands out an upload URL
// (on this same server), the bytes are POSTed there (raw or multipart), files.completeUploadExternal
// shares them in a channel or thread; each file is kept with its bytes.
import type { IncomingMessage, Server } from "node:http";
import { close, listen, readBody, waitFor } from "./loopback.ts";

export interface SlackCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly at: number;
  /** What the fake answered, e.g. the ts of a posted message. */
  readonly result: Record<string, unknown>;
}

/** A call the fake answered with a failure (fail / refuse), with when it came: a retry's delay is measured from here. */
export interface FailedCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly at: number;
  readonly status: number;
  readonly retryAfter: number;
}

export interface ResponseUrlPost {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

const JSON_FIELDS = new Set(["blocks", "attachments", "metadata"]);

/** A message as the channel holds it. */
export interface ChannelMessage {
  readonly ts: string;
  readonly text: string;
  readonly threadTs: string | undefined;
  readonly metadata: { event_type: string; event_payload: Record<string, unknown> } | undefined;
  readonly blocks: unknown;
}

/** A file as Slack holds it after the upload flow: its bytes, and where it was shared once completed. */
export interface UploadedFile {
  readonly id: string;
  readonly filename: string;
  /** The length files.getUploadURLExternal was told. */
  readonly length: number;
  bytes: Buffer | undefined;
  title: string | undefined;
  channel: string | undefined;
  threadTs: string | undefined;
  completed: boolean;
}

/** A call Slack accepted (it is in the channel) whose answer is withheld until release(). */
export interface HeldCall {
  readonly arrived: Promise<SlackCall>;
  release(): void;
}

export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  /** Calls answered with a lined-up failure (not in `calls`: Slack did not carry them out). */
  readonly failed: FailedCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly files: UploadedFile[] = [];
  private readonly failures = new Map<string, { status: number; retryAfter: number; error?: string }[]>();
  private readonly channels = new Map<string, ChannelMessage[]>();
  private readonly holds = new Map<string, { arrive: (c: SlackCall) => void; released: Promise<void> }[]>();
  private lastTs = 0;
  private server: Server | undefined;
  url = "";

  async start(): Promise<this> {
    const { server, base } = await listen((req, res) => {
      if ((req.url ?? "").startsWith("/upload/")) {
        void this.receiveUpload(req).then((status) => res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "OK" : "unknown upload"));
        return;
      }
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
          this.failed.push({ method, args: parseArgs(raw, req.headers["content-type"] ?? ""), at: Date.now(), status: failure.status, retryAfter: failure.retryAfter });
          res.writeHead(failure.status, { "retry-after": String(failure.retryAfter), "content-type": "application/json" }).end(JSON.stringify({ ok: false, error: failure.error ?? "ratelimited" }));
          return;
        }
        const args = parseArgs(raw, req.headers["content-type"] ?? "");
        const result = this.reply(method, args);
        const call = { method, args, at: Date.now(), result };
        this.calls.push(call);
        const hold = this.holds.get(method)?.shift();
        const answer = () => {
          if (!res.destroyed) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
        };
        if (!hold) {
          answer();
          return;
        }
        hold.arrive(call);
        void hold.released.then(answer);
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

  /** The next `count` calls of `method` get HTTP 200 with `{ ok: false, error }` (Slack refusing the call). */
  refuse(method: string, error: string, count = 1): void {
    this.failures.set(method, Array.from({ length: count }, () => ({ status: 200, retryAfter: 0, error })));
  }

  /** The next call of `method` is carried out (a post lands in its channel) but not answered until released. */
  hold(method: string): HeldCall {
    let arrive: (c: SlackCall) => void = () => undefined;
    let release: () => void = () => undefined;
    const arrived = new Promise<SlackCall>((r) => (arrive = r));
    const released = new Promise<void>((r) => (release = r));
    this.holds.set(method, [...(this.holds.get(method) ?? []), { arrive, released }]);
    return { arrived, release };
  }

  /** The channel's messages, oldest first, thread replies included. */
  messages(channel: string): ChannelMessage[] {
    return [...(this.channels.get(channel) ?? [])];
  }

  /** Files shared in a channel or thread (files.completeUploadExternal done). */
  sharedFiles(): UploadedFile[] {
    return this.files.filter((f) => f.completed);
  }

  /** Drops the messages channels hold and the bytes of shared files, so a long run's memory is the bot's (the soak reads calls instead). */
  forgetDelivered(): void {
    this.channels.clear();
    for (const f of this.files) if (f.completed) f.bytes = undefined;
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
      case "chat.postMessage": {
        const channel = String(args.channel);
        const ts = this.nextTs();
        const metadata = args.metadata as ChannelMessage["metadata"];
        this.channels.set(channel, [...(this.channels.get(channel) ?? []), { ts, text: typeof args.text === "string" ? args.text : "", threadTs: typeof args.thread_ts === "string" ? args.thread_ts : undefined, metadata, blocks: args.blocks }]);
        return { ok: true, channel, ts, message: { ts, text: args.text } };
      }
      case "chat.update": {
        const list = this.channels.get(String(args.channel)) ?? [];
        const i = list.findIndex((m) => m.ts === args.ts);
        if (i >= 0) list[i] = { ...list[i]!, text: typeof args.text === "string" ? args.text : "", blocks: args.blocks };
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case "conversations.history":
        return this.history(args);
      case "files.getUploadURLExternal": {
        const id = `F${String(this.files.length + 1).padStart(8, "0")}`;
        this.files.push({ id, filename: String(args.filename), length: Number(args.length), bytes: undefined, title: undefined, channel: undefined, threadTs: undefined, completed: false });
        return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
      }
      case "files.completeUploadExternal":
        return this.completeUpload(args);
      default:
        return { ok: true };
    }
  }

  /** Newest first, top-level messages only, oldest/latest exclusive unless inclusive, metadata only when asked for, paged by cursor. */
  private history(args: Record<string, unknown>): Record<string, unknown> {
    // every channel id exists here; one the bot never posted to is empty
    const channel = this.channels.get(String(args.channel)) ?? [];
    const oldest = Number(args.oldest ?? 0);
    const latest = args.latest === undefined ? Infinity : Number(args.latest);
    const inclusive = args.inclusive === true || args.inclusive === "true" || args.inclusive === "1";
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === "true" || args.include_all_metadata === "1";
    const limit = Math.min(Number(args.limit ?? 100) || 100, 999);
    const inRange = (ts: number) => (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest);
    const all = channel.filter((m) => (m.threadTs === undefined || m.threadTs === m.ts) && inRange(Number(m.ts))).reverse();
    const start = Number(args.cursor ?? 0) || 0;
    const page = all.slice(start, start + limit);
    const more = start + limit < all.length;
    return {
      ok: true,
      messages: page.map((m) => ({ type: "message", user: "UBOT", bot_id: "BBOT", ts: m.ts, text: m.text, ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) })),
      has_more: more,
      response_metadata: { next_cursor: more ? String(start + limit) : "" },
    };
  }

  /** The bytes of an upload, raw or as the single file part of a multipart form; 404 for an id never handed out. */
  private async receiveUpload(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const file = this.files.find((f) => req.url === `/upload/${f.id}`);
    if (!file) return 404;
    const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(req.headers["content-type"] ?? "")?.[1];
    file.bytes = boundary === undefined ? raw : filePart(raw, boundary);
    return 200;
  }

  /** Shares uploaded files where asked; a file whose bytes never arrived is refused as Slack does. */
  private completeUpload(args: Record<string, unknown>): Record<string, unknown> {
    const wanted = (typeof args.files === "string" ? JSON.parse(args.files) : args.files) as { id: string; title?: string }[];
    const files = wanted.map((w) => this.files.find((f) => f.id === w.id));
    if (files.some((f) => f?.bytes === undefined)) return { ok: false, error: "file_not_found" };
    for (const [i, f] of files.entries()) {
      if (!f) continue;
      f.title = wanted[i]?.title;
      f.channel = typeof args.channel_id === "string" ? args.channel_id : undefined;
      f.threadTs = typeof args.thread_ts === "string" ? args.thread_ts : undefined;
      f.completed = true;
    }
    return { ok: true, files: files.map((f) => ({ id: f?.id, title: f?.title, name: f?.filename })) };
  }

  /** Slack-shaped timestamps from the real clock ("seconds.micro"), strictly increasing. */
  private nextTs(): string {
    this.lastTs = Math.max(this.lastTs + 1, Date.now() * 1000);
    return `${Math.floor(this.lastTs / 1e6)}.${String(this.lastTs % 1e6).padStart(6, "0")}`;
  }
}

/** The body of the multipart part that carries a file (its Content-Disposition names a filename). */
function filePart(raw: Buffer, boundary: string): Buffer | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  for (let at = raw.indexOf(delimiter); at >= 0; ) {
    const next = raw.indexOf(delimiter, at + delimiter.length);
    if (next < 0) return undefined;
    const part = raw.subarray(at + delimiter.length + 2, next - 2); // past the CRLF after the delimiter, before the one ahead of the next
    const split = part.indexOf("\r\n\r\n");
    if (split >= 0 && /filename=/i.test(part.subarray(0, split).toString("utf8"))) return part.subarray(split + 4);
    at = next;
  }
  return undefined;
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes("application/json")) return JSON.parse(raw || "{}") as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = JSON_FIELDS.has(k) ? (JSON.parse(v) as unknown) : v;
  return out;
}
