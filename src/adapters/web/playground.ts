// The browser playground's HTTP side, on the shared server: the page at `/`, its API and assets
// under /playground/. Questions go to the one conversation entry from one Place (follow-ups work
// through the store like anywhere else); each answer comes back rendered the way every platform
// would show it. Buttons send back the follow-up they carry (a Slack button's value, a Teams
// action's data) and their answer replaces the pressed one. JSON is parsed on these routes only:
// Slack's signature check needs the raw body of its own requests.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import express, { type Express, type Request, type Response } from "express";
import type { Place } from "../../bot/asker.ts";
import type { Conversation } from "../../bot/conversation.ts";
import { decodeFollowUp } from "../../bot/follow-up.ts";
import type { Message } from "../../bot/message.ts";
import type { Logger } from "../../log/logger.ts";
import { CHART_PATH } from "./chart-pictures.ts";
import { loopbackOnly } from "./loopback-guard.ts";
import type { FeedEvent, ReportFeed } from "./report-feed.ts";
import type { Renderer } from "./renderings.ts";

/** Everyone at this machine's playground is one conversation, in one channel. */
export const PLAYGROUND_PLACE: Place = { platform: "web", channel: "playground", user: "you" };
export const PLAYGROUND_PATHS = ["/", "/playground/say", "/playground/press", "/playground/events"] as const;

const PAGE_DIR = fileURLToPath(new URL("./page/", import.meta.url));
const ADAPTIVE_CARDS_JS = createRequire(import.meta.url).resolve("adaptivecards/dist/adaptivecards.min.js");
/** Only this server's own scripts, styles and pictures: a card or a report can't load or run anything else. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const ASSETS: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  "playground.js": { file: `${PAGE_DIR}playground.js`, type: "text/javascript" },
  "playground.css": { file: `${PAGE_DIR}playground.css`, type: "text/css" },
  "adaptivecards.js": { file: ADAPTIVE_CARDS_JS, type: "text/javascript" },
};
const KEEP_ALIVE_MS = 25_000;

export interface PlaygroundOptions {
  readonly http: Express;
  readonly conversation: Conversation;
  readonly feed: ReportFeed;
  readonly renderer: Renderer;
  readonly logger: Logger;
}

export interface RunningPlayground {
  /** Ends every open event stream (the server closes the sockets). */
  stop(): void;
}

export function mountPlayground({ http, conversation, feed, renderer, logger }: PlaygroundOptions): RunningPlayground {
  const guard = loopbackOnly();
  const streams = new Set<Response>();
  const answer = (res: Response, pending: Promise<Message>) => {
    pending.then(
      async (m) => {
        res.set("cache-control", "no-store").json(await renderer.render(m));
      },
      (err: unknown) => {
        logger.error({ err }, "playground answer failed");
        res.status(500).json({ error: "the bot could not answer; see the log" });
      },
    ).catch((err: unknown) => {
      logger.error({ err }, "playground answer could not be sent");
    });
  };

  http.get("/", guard, (_req, res) => {
    res.set({ "content-security-policy": CSP, "cache-control": "no-cache", "x-content-type-options": "nosniff" }).sendFile(`${PAGE_DIR}index.html`);
  });

  const api = express.Router();
  api.use(guard);
  api.get("/:asset", (req: Request<{ asset: string }>, res, next) => {
    const asset = ASSETS[req.params.asset];
    if (!asset) {
      next();
      return;
    }
    res.set({ "content-type": asset.type, "cache-control": "no-cache", "x-content-type-options": "nosniff" }).sendFile(asset.file);
  });
  api.post("/say", express.json({ limit: "64kb" }), (req, res) => {
    const text = (req.body as { text?: unknown } | undefined)?.text;
    if (typeof text !== "string" || text.trim() === "") {
      res.status(400).json({ error: 'send {"text": "your question"}' });
      return;
    }
    answer(res, conversation.say(text, PLAYGROUND_PLACE));
  });
  api.post("/press", express.json({ limit: "64kb" }), (req, res) => {
    // a Slack button's value is the encoded follow-up (a string), a Teams action's data the object itself
    const followUp = decodeFollowUp((req.body as { followUp?: unknown } | undefined)?.followUp);
    if (!followUp) {
      res.status(400).json({ error: "not a follow-up this bot made (send a button's value or action data as followUp)" });
      return;
    }
    answer(res, conversation.press(followUp, PLAYGROUND_PLACE));
  });
  api.get("/events", (req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" });
    res.write("retry: 2000\n\n");
    const send = (e: FeedEvent) => res.write(`event: ${e.kind}\ndata: ${JSON.stringify(e)}\n\n`);
    const unsubscribe = feed.subscribe(send);
    const beat = setInterval(() => res.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
    beat.unref();
    streams.add(res);
    req.on("close", () => {
      clearInterval(beat);
      unsubscribe();
      streams.delete(res);
    });
  });
  api.get(`${CHART_PATH.slice("/playground".length)}/:file`, (req: Request<{ file: string }>, res) => {
    const id = /^([0-9a-f-]{36})\.png$/.exec(req.params.file)?.[1];
    const png = id === undefined ? undefined : renderer.pictures.get(id);
    if (!png) {
      res.status(404).type("text/plain").send("no such chart (charts are kept for an hour)\n");
      return;
    }
    res.set({ "content-type": "image/png", "cache-control": "private, max-age=3600" }).send(png);
  });
  http.use("/playground", api);

  return {
    stop: () => {
      for (const s of streams) s.end();
      streams.clear();
    },
  };
}
