// The chart renderer process: renderer-process.ts forks this file on the bot's first chart. It
// draws with render-png.ts (vega → SVG → sharp), so libvips' native memory, which glibc's
// allocator keeps once it has grown, is this process's and goes away when it is recycled. Its log
// lines go to the bot's log through IPC; it exits when the bot process goes (the IPC channel closes).
import { enableCompileCache } from "node:module";
import type { LogFields, Logger } from "../log/logger.ts";
import type { RenderLevel, RendererMessage, RenderRequest } from "./renderer-protocol.ts";

enableCompileCache?.();
// after the compile cache is on, so vega's and our modules come from it
const { renderChartPng, shrinkPng } = await import("./render-png.ts");

/** The bot process owns the budget and drops late answers; this one only keeps a runaway render from living forever. */
const CHILD_BUDGET_MS = 60_000;

const send = (m: RendererMessage) => {
  if (process.connected) process.send?.(m);
};
const rss = () => process.memoryUsage().rss;

/** A Logger whose lines are the bot's: fields made plain (an Error's name, message and stack) so they cross IPC. */
function forwarding(bindings: LogFields): Logger {
  const line = (level: RenderLevel) => (fields: LogFields, msg: string) => {
    send({ kind: "log", level, fields: plain({ ...bindings, ...fields }), msg });
  };
  return { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error"), child: (more) => forwarding({ ...bindings, ...more }) };
}

function plain(fields: LogFields): LogFields {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v instanceof Error ? { type: v.name, message: v.message, stack: v.stack } : v]));
}

const log = forwarding({});

async function answer(request: RenderRequest): Promise<Uint8Array | undefined> {
  if (request.kind === "chart") return renderChartPng(request.chart, { budgetMs: CHILD_BUDGET_MS, logger: log });
  try {
    return await shrinkPng(request.png, request.size);
  } catch (err) {
    log.warn({ component: "charts", err }, "chart picture could not be redrawn smaller: the answer goes without it");
    return undefined;
  }
}

process.on("message", (request: RenderRequest) => {
  void answer(request).then((png) => {
    send(png === undefined ? { kind: "done", id: request.id, rss: rss() } : { kind: "done", id: request.id, png, rss: rss() });
  });
});
// the bot process is gone (stopped, crashed, killed): no orphan renderer
process.on("disconnect", () => process.exit(0));
send({ kind: "ready", rss: rss() });
