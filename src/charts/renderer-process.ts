// Chart PNGs drawn in a process of their own (renderer-entry.ts), forked on the first chart, not at
// start. Why: libvips (sharp) takes native memory that glibc's allocator keeps once it has grown, so
// a bot drawing charts in-process grew under a soak with its JS heap flat; a renderer that is
// recycled every RECYCLE.renders renders, or once its RSS passes RECYCLE.rssMb, gives it all back.
// Same code draws the chart, so the same chart is the same bytes as an in-process render.
//
// A picture is never why an answer is late or lost: each render has the budget (RENDER_BUDGET_MS)
// from when the renderer takes it, at most RECYCLE.inFlight are sent at once and the rest wait in
// order; a render past its budget, one the renderer died in (a crash, a kill), or one it could not
// start for, is undefined and logged, and the next render goes to a new renderer. The renderer is
// unref'd (it never keeps the bot alive), exits when the bot does, and stop() kills it.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Chart } from "../bot/message.ts";
import type { Logger } from "../log/logger.ts";
import { sharedLogger } from "../log/pino-logger.ts";
import { drawable, RENDER_BUDGET_MS } from "./render-limits.ts";
import type { RendererMessage, RenderRequest, ShrinkSize } from "./renderer-protocol.ts";

/** When a renderer is replaced, and how much it is given at once. */
export interface Recycle {
  readonly renders: number;
  readonly rssMb: number;
  readonly inFlight: number;
  readonly queued: number;
  readonly startMs: number;
}

export const RECYCLE: Recycle = {
  /** Renders one renderer process draws before a new one takes over (a new process starts in ~0.5 s of CPU). */
  renders: 1000,
  /** Or once its RSS passes this (it reports it with every answer): ~120 MiB at start, ~155 MiB after a few hundred charts. */
  rssMb: 256,
  /** Renders sent to it at once: one drawing (vega is synchronous) while sharp encodes the other. */
  inFlight: 2,
  /** Renders waiting beyond this are given up at once: the answers go on with their sparklines. */
  queued: 50,
  /** A renderer not ready by then (loading vega and sharp) is killed, and the renders waiting for it given up. */
  startMs: 15_000,
};

export interface RendererOptions {
  /** The renderer's entry file (default renderer-entry.ts; tests fork their own). */
  readonly entry?: string | URL;
  /** Per render, from when the renderer takes it (default RENDER_BUDGET_MS). */
  readonly budgetMs?: number;
  readonly recycle?: Partial<Recycle>;
  /** Default: the shared logger at the time of each line. */
  readonly logger?: Logger;
}

interface Job {
  readonly request: RenderRequest;
  /** For the log: the chart's title, or "card picture". */
  readonly what: string;
  readonly resolve: (png: Buffer | undefined) => void;
  done: boolean;
  timer?: NodeJS.Timeout;
}

interface Renderer {
  readonly child: ChildProcess;
  ready: boolean;
  /** Sent and not answered; a job past its budget stays here (its slot taken) until answered. */
  readonly pending: Map<number, Job>;
  sent: number;
  /** Takes no more renders; killed once nothing it holds is unanswered. */
  retiring: boolean;
  /** As it last said (bytes). */
  rss?: number;
  startTimer?: NodeJS.Timeout;
  readonly exited: Promise<void>;
  readonly gone: () => void;
}

const DEFAULT_ENTRY = new URL("./renderer-entry.ts", import.meta.url);
/**
 * The renderer's Node flags (none of the bot's own, e.g. its --import). Why: vega leaves much
 * short-lived garbage per chart and V8 grows its heap to hold it rather than collect; a smaller
 * young and old generation keep the renderer at ~155 MiB RSS instead of ~365 MiB after a few
 * hundred charts, for ~10 % more time per chart (measured: 300 charts, medians of 3 runs, 29 → 33 ms).
 * A chart needs a few MiB of heap; one that ran out would be that render lost, logged, and a new renderer.
 */
const RENDERER_FLAGS = ["--max-semi-space-size=2", "--max-old-space-size=128"];
const MIB = 1024 * 1024;

export class RendererProcess {
  private readonly entry: string;
  private readonly budgetMs: number;
  private readonly limits: Recycle;
  private readonly logger: Logger | undefined;
  private readonly queue: Job[] = [];
  private readonly renderers = new Set<Renderer>();
  private current: Renderer | undefined;
  private newest: Renderer | undefined;
  private nextId = 1;

  constructor(options: RendererOptions = {}) {
    const entry = options.entry ?? DEFAULT_ENTRY;
    this.entry = entry instanceof URL ? fileURLToPath(entry) : entry;
    this.budgetMs = options.budgetMs ?? RENDER_BUDGET_MS;
    this.limits = { ...RECYCLE, ...options.recycle };
    this.logger = options.logger;
  }

  /** The chart as a PNG, or undefined when it has nothing to draw or was not drawn in time (logged). */
  render(chart: Chart): Promise<Buffer | undefined> {
    if (!drawable(chart)) return Promise.resolve(undefined);
    return this.enqueue({ id: this.nextId++, kind: "chart", chart }, chart.title);
  }

  /** The PNG redrawn at most `size.width` wide in `size.colours` colours, or undefined like render(). */
  shrink(png: Buffer, size: ShrinkSize): Promise<Buffer | undefined> {
    return this.enqueue({ id: this.nextId++, kind: "shrink", png, size }, "card picture");
  }

  /** The newest renderer process's pid (undefined before the first chart). */
  get pid(): number | undefined {
    return this.newest?.child.pid;
  }

  /** The newest renderer's RSS in bytes as of its last answer (undefined before its first chart). */
  get rss(): number | undefined {
    return this.newest?.rss;
  }

  /** Kills every renderer process and gives up what was waiting; the next render starts a new one. */
  async stop(): Promise<void> {
    for (const job of this.queue.splice(0)) this.settle(job, undefined);
    const exits = [...this.renderers].map((r) => {
      r.retiring = true;
      // held until it is reaped, so stop() resolves with the renderer gone
      r.child.ref();
      r.child.kill("SIGKILL");
      return r.exited;
    });
    this.current = undefined;
    await Promise.all(exits);
  }

  private enqueue(request: RenderRequest, what: string): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const job: Job = { request, what, resolve, done: false };
      if (this.queue.length >= this.limits.queued) {
        this.log.warn({ chart: what, queued: this.queue.length }, "too many charts waiting to be drawn: the answer goes without it");
        resolve(undefined);
        return;
      }
      this.queue.push(job);
      this.pump();
    });
  }

  /** Sends waiting renders to the current renderer while it has room, starting one when there is none. */
  private pump(): void {
    while (this.queue.length > 0) {
      const renderer = (this.current ??= this.start());
      if (!renderer.ready || renderer.pending.size >= this.limits.inFlight) return;
      const job = this.queue.shift();
      if (job) this.dispatch(job, renderer);
    }
  }

  private dispatch(job: Job, renderer: Renderer): void {
    renderer.pending.set(job.request.id, job);
    renderer.sent++;
    const started = performance.now();
    job.timer = setTimeout(() => {
      this.log.warn({ chart: job.what, ms: Math.round(performance.now() - started), budgetMs: this.budgetMs }, "chart took too long to draw: the answer goes without it");
      this.settle(job, undefined);
      // every slot held by a render past its budget: this renderer is stuck, not busy
      if (owesNothing(renderer) && renderer.pending.size >= this.limits.inFlight) this.retire(renderer, "its renders are past their budget");
      else if (renderer.retiring && owesNothing(renderer)) renderer.child.kill("SIGKILL");
      this.pump();
    }, this.budgetMs);
    renderer.child.send(job.request, (err) => {
      // a renderer that died as this was sent: its exit gives this render up
      if (err) this.log.debug({ err, chart: job.what }, "chart not sent to the renderer");
    });
    if (renderer.sent >= this.limits.renders) this.retire(renderer, `drew ${renderer.sent} charts`);
  }

  private start(): Renderer {
    const child = fork(this.entry, [], { serialization: "advanced", execArgv: RENDERER_FLAGS, stdio: ["ignore", "ignore", "inherit", "ipc"] });
    let gone: () => void = () => undefined;
    const exited = new Promise<void>((resolve) => (gone = resolve));
    const renderer: Renderer = { child, ready: false, pending: new Map(), sent: 0, retiring: false, exited, gone };
    this.renderers.add(renderer);
    this.newest = renderer;
    // never keeps the bot alive: a waiting render's own timer does while it waits
    child.unref();
    child.channel?.unref();
    renderer.startTimer = setTimeout(() => {
      this.log.warn({ pid: child.pid, startMs: this.limits.startMs }, "chart renderer did not start in time: killed");
      child.kill("SIGKILL");
    }, this.limits.startMs);
    child.on("message", (m: RendererMessage) => {
      this.received(renderer, m);
    });
    child.on("error", (err) => {
      this.log.warn({ err, pid: child.pid }, "chart renderer process failed");
      // not started at all (no pid): there will be no exit to wait for
      if (child.pid === undefined) this.exited(renderer, null, null);
    });
    child.once("exit", (code, signal) => {
      this.exited(renderer, code, signal);
    });
    return renderer;
  }

  private received(renderer: Renderer, m: RendererMessage): void {
    if (m.kind === "log") {
      // its lines carry their own component
      (this.logger ?? sharedLogger())[m.level](m.fields, m.msg);
      return;
    }
    renderer.rss = m.rss;
    if (m.kind === "ready") {
      renderer.ready = true;
      clearTimeout(renderer.startTimer);
    } else {
      const job = renderer.pending.get(m.id);
      renderer.pending.delete(m.id);
      if (job?.done === true) this.log.debug({ chart: job.what }, "a late chart arrived after all: dropped");
      if (job) this.settle(job, m.png === undefined ? undefined : Buffer.from(m.png.buffer, m.png.byteOffset, m.png.byteLength));
    }
    // checked after renders only: a bound under a fresh renderer's RSS recycles it per render, not in a loop of starts
    if (m.kind === "done" && m.rss > this.limits.rssMb * MIB) this.retire(renderer, `RSS ${Math.round(m.rss / MIB)} MiB over ${this.limits.rssMb} MiB`);
    if (renderer.retiring && owesNothing(renderer)) renderer.child.kill("SIGKILL");
    this.pump();
  }

  /** No new renders for it; it goes once every render it took is answered or past its budget. */
  private retire(renderer: Renderer, why: string): void {
    if (!renderer.retiring) this.log.debug({ pid: renderer.child.pid, why }, "chart renderer replaced");
    renderer.retiring = true;
    if (this.current === renderer) this.current = undefined;
    if (owesNothing(renderer)) renderer.child.kill("SIGKILL");
  }

  private exited(renderer: Renderer, code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.renderers.delete(renderer)) return;
    clearTimeout(renderer.startTimer);
    renderer.gone();
    if (this.current === renderer) this.current = undefined;
    const lost = [...renderer.pending.values()].filter((j) => !j.done);
    renderer.pending.clear();
    if (!renderer.retiring || lost.length > 0) this.log.warn({ pid: renderer.child.pid, code, signal, renders: lost.map((j) => j.what) }, "chart renderer stopped: the answers it was drawing go without their charts");
    for (const job of lost) this.settle(job, undefined);
    // one that never got ready would fail again the same way: what waited for it is given up, and the next render tries anew
    if (!renderer.ready) for (const job of this.queue.splice(0)) this.settle(job, undefined);
    this.pump();
  }

  private settle(job: Job, png: Buffer | undefined): void {
    if (job.done) return;
    job.done = true;
    clearTimeout(job.timer);
    job.resolve(png);
  }

  private get log(): Logger {
    return (this.logger ?? sharedLogger()).child({ component: "charts" });
  }
}

/** Nothing it took is still waited for: each render answered or past its budget. */
const owesNothing = (renderer: Renderer) => [...renderer.pending.values()].every((j) => j.done);
