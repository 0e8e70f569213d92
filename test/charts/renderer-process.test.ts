// The chart renderer process as the bot uses it: real forks of renderer-entry.ts (vega, sharp),
// killed, recycled, stopped and wedged (hung-renderer.ts), asserting what an answer gets: the same
// PNG bytes as an in-process render, or undefined and a log line, never a wait past the budget.
import { execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import type { Chart } from "../../src/bot/message.ts";
import { renderChartPng, shrinkPng } from "../../src/charts/render-png.ts";
import { RendererProcess, type RendererOptions } from "../../src/charts/renderer-process.ts";
import { captureLogger } from "../support/capture-logger.ts";
import { BARS, DST_DAY, LINES, manyLines } from "./chart-examples.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const HUNG = fileURLToPath(new URL("./hung-renderer.ts", import.meta.url));
const CRASHING = fileURLToPath(new URL("./crashing-renderer.ts", import.meta.url));
/** Generous on a busy machine: the renderer's start (vega and sharp) is not part of a render's budget. */
const SLOW = 20_000;

const started: RendererProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.stop()));
});
function renderer(options: RendererOptions = {}): RendererProcess {
  const r = new RendererProcess({ budgetMs: SLOW, ...options });
  started.push(r);
  return r;
}

/** The processes whose parent is this one (Linux /proc), the renderers among them by their entry file. */
function children(): number[] {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      // the command can hold spaces and parentheses: fields after the last ")" are fixed
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      return ppid === process.pid ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function gone(pid: number): Promise<boolean> {
  for (const deadline = Date.now() + SLOW; Date.now() < deadline; ) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}
async function png(r: RendererProcess, chart: Chart): Promise<Buffer> {
  const out = await r.render(chart);
  if (!out) throw new Error(`${chart.title} did not render`);
  return out;
}
const pidOf = (r: RendererProcess) => {
  if (r.pid === undefined) throw new Error("no renderer running");
  return r.pid;
};

describe("the chart renderer process", () => {
  it("draws the same PNG bytes as an in-process render, and shrinks them the same", { timeout: 60_000 }, async () => {
    const r = renderer();
    for (const chart of [LINES, BARS, DST_DAY, manyLines(8)]) {
      const inProcess = await renderChartPng(chart, { budgetMs: SLOW });
      const drawn = await png(r, chart);
      expect(inProcess && drawn.equals(inProcess)).toBe(true);
      const size = { width: 480, colours: 16 };
      expect((await r.shrink(drawn, size))?.equals(await shrinkPng(drawn, size))).toBe(true);
    }
  });

  it("is started on the first chart, not before, and not for a chart with nothing to draw", { timeout: 60_000 }, async () => {
    const r = renderer();
    expect(await r.render({ ...BARS, bars: [] })).toBeUndefined();
    expect(r.pid).toBeUndefined();
    expect(children()).toEqual([]);
    await png(r, BARS);
    expect(children()).toEqual([pidOf(r)]);
  });

  it("gives the render it was drawing up when it is killed (undefined, logged), and the next render works", { timeout: 60_000 }, async () => {
    const log = captureLogger();
    const r = renderer({ logger: log.logger });
    await png(r, BARS);
    const first = pidOf(r);
    const drawing = r.render(LINES);
    process.kill(first, "SIGKILL");
    expect(await drawing).toBeUndefined();
    expect(log.entries()).toContainEqual(expect.objectContaining({ level: "warn", component: "charts", pid: first, signal: "SIGKILL", renders: [LINES.title], msg: "chart renderer stopped: the answers it was drawing go without their charts" }));
    expect((await png(r, LINES)).equals(await png(renderer(), LINES))).toBe(true);
    expect(pidOf(r)).not.toBe(first);
  });

  it("is replaced after its number of renders, every render answered and the old ones gone", { timeout: 90_000 }, async () => {
    const r = renderer({ recycle: { renders: 3 } });
    const pids = new Set<number>();
    const charts = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? LINES : BARS));
    // two at a time, as a busy bot asks
    for (let i = 0; i < charts.length; i += 2) {
      const drawn = await Promise.all(charts.slice(i, i + 2).map((c) => r.render(c)));
      expect(drawn.every((p) => p !== undefined)).toBe(true);
      pids.add(pidOf(r));
    }
    expect(pids.size).toBeGreaterThanOrEqual(3);
    const current = pidOf(r);
    for (const pid of pids) if (pid !== current) expect(await gone(pid)).toBe(true);
    expect(children()).toEqual([current]);
  });

  it("is replaced once its RSS passes the bound", { timeout: 90_000 }, async () => {
    const log = captureLogger();
    const r = renderer({ recycle: { rssMb: 1 }, logger: log.logger });
    await png(r, BARS);
    const first = pidOf(r);
    await png(r, LINES);
    expect(pidOf(r)).not.toBe(first);
    expect(await gone(first)).toBe(true);
    expect(log.entries()).toContainEqual(expect.objectContaining({ level: "debug", pid: first, why: expect.stringMatching(/^RSS \d+ MiB over 1 MiB$/) as unknown, msg: "chart renderer replaced" }));
  });

  it("leaves no process behind when stopped, and gives up what was waiting", { timeout: 60_000 }, async () => {
    const r = renderer();
    await png(r, BARS);
    const pid = pidOf(r);
    const waiting = [r.render(LINES), r.render(BARS), r.render(DST_DAY)];
    await r.stop();
    expect(await Promise.all(waiting)).toEqual([undefined, undefined, undefined]);
    expect(alive(pid)).toBe(false);
    expect(children()).toEqual([]);
    // and a later chart starts a new one
    await png(r, BARS);
    expect(pidOf(r)).not.toBe(pid);
  });

  it("never keeps a process alive, and goes with it (no orphan)", { timeout: 60_000 }, async () => {
    const script = [
      'import { RendererProcess } from "./src/charts/renderer-process.ts";',
      'import { BARS } from "./test/charts/chart-examples.ts";',
      "const r = new RendererProcess();",
      "const png = await r.render(BARS);",
      "console.log(JSON.stringify({ bytes: png?.length, pid: r.pid }));",
    ].join("\n");
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, timeout: 30_000 });
    const said = JSON.parse(stdout) as { bytes: number; pid: number };
    expect(said.bytes).toBeGreaterThan(1000);
    expect(await gone(said.pid)).toBe(true);
  });

  it("goes when the bot process is killed (SIGKILL): no orphan", { timeout: 60_000 }, async () => {
    const script = [
      'import { RendererProcess } from "./src/charts/renderer-process.ts";',
      'import { BARS } from "./test/charts/chart-examples.ts";',
      "const r = new RendererProcess();",
      "await r.render(BARS);",
      "console.log(JSON.stringify({ pid: r.pid }));",
      "setInterval(() => undefined, 1000);",
    ].join("\n");
    const bot = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    try {
      const line = await new Promise<string>((resolve) => bot.stdout.once("data", (d: Buffer) => { resolve(d.toString()); }));
      const { pid } = JSON.parse(line) as { pid: number };
      expect(alive(pid)).toBe(true);
      bot.kill("SIGKILL");
      expect(await gone(pid)).toBe(true);
    } finally {
      bot.kill("SIGKILL");
    }
  });

  it("gives up on a renderer that never answers within the budget (logged), and replaces it once it is stuck", { timeout: 60_000 }, async () => {
    const log = captureLogger();
    const budgetMs = 300;
    const r = renderer({ entry: HUNG, budgetMs, logger: log.logger });
    const asked = performance.now();
    const [one, two] = await Promise.all([r.render(LINES), r.render(BARS)]);
    expect([one, two]).toEqual([undefined, undefined]);
    // generous: the renderer's start plus the budget, nowhere near a hang
    expect(performance.now() - asked).toBeLessThan(SLOW);
    expect(log.entries().filter((e) => e.msg === "chart took too long to draw: the answer goes without it")).toEqual([
      expect.objectContaining({ level: "warn", component: "charts", chart: LINES.title, budgetMs }),
      expect.objectContaining({ level: "warn", component: "charts", chart: BARS.title, budgetMs }),
    ]);
    const stuck = children();
    expect(stuck).toHaveLength(1);
    expect(await gone(stuck[0] ?? 0)).toBe(true);
    expect(await r.render(LINES)).toBeUndefined();
    expect(children()).toHaveLength(1);
    expect(children()).not.toEqual(stuck);
  });

  it("gives up at once on renders when the renderer cannot start, and tries again on the next chart", { timeout: 60_000 }, async () => {
    const log = captureLogger();
    const r = renderer({ entry: CRASHING, logger: log.logger });
    expect(await Promise.all([r.render(LINES), r.render(BARS)])).toEqual([undefined, undefined]);
    expect(log.entries()).toContainEqual(expect.objectContaining({ level: "warn", component: "charts", code: 3, msg: "chart renderer stopped: the answers it was drawing go without their charts" }));
    expect(await r.render(LINES)).toBeUndefined();
    expect(log.entries().filter((e) => e.msg.startsWith("chart renderer stopped"))).toHaveLength(2);
  });

  it("forwards the renderer's log lines into the bot's log", { timeout: 60_000 }, async () => {
    const log = captureLogger();
    const r = renderer({ logger: log.logger });
    expect(await r.shrink(Buffer.from("not a png"), { width: 480, colours: 16 })).toBeUndefined();
    expect(log.entries()).toContainEqual(expect.objectContaining({ level: "warn", component: "charts", err: expect.objectContaining({ message: expect.any(String) as unknown }) as unknown, msg: "chart picture could not be redrawn smaller: the answer goes without it" }));
  });
});
