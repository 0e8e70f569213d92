// Drives schedules with node-cron: one task per schedule in its own zone, with node-cron's
// RunCoordinator deciding "does this replica run this slot?" by claiming the slot in the ledger.
// node-cron never replays slots missed while no process ran, nor slots whose claim failed because the
// store was down: every minute (and at start-up) the schedule itself says which slots passed since the
// last good check, and any without a ledger row is caught up or named in one "missed" note.
import { createTask, type ScheduledTask } from "node-cron";
import { ledgerKey, type ReportRunner } from "./runner.ts";
import type { Schedule } from "./schedule.ts";
import type { ScheduleBook } from "./schedule-book.ts";
import { slotsBetween } from "./slots.ts";
import type { Logger } from "../log/logger.ts";
import { sharedLogger } from "../log/pino-logger.ts";
import { keys } from "../store/keys.ts";
import type { Store } from "../store/store.ts";

/** A restart within this window posts the latest missed slot late; older ones become one "missed" note. */
export const DEFAULT_GRACE_MS = 2 * 3_600_000;
/** How often chat-made changes from other replicas are picked up. */
const SYNC_EVERY_MS = 60_000;
/** Slots younger than this are left to the live task, which claims them as they fire. */
const LIVE_MARGIN_MS = 10_000;
/** Catch-up looks no further back than this (a longer outage is still one note, counting these). */
const MAX_LOOKBACK_MS = 35 * 24 * 3_600_000;

export interface SchedulerOptions {
  readonly runner: ReportRunner;
  readonly book: ScheduleBook;
  readonly store: Store;
  readonly graceMs?: number;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

export class Scheduler {
  private readonly opts: SchedulerOptions;
  private readonly tasks = new Map<string, { task: ScheduledTask; signature: string }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;
  /** syncs run one after another: two at once would both start a task for a new schedule */
  private syncing: Promise<unknown> = Promise.resolve();
  private readonly logger: Logger;

  constructor(opts: SchedulerOptions) {
    this.opts = opts;
    this.logger = (opts.logger ?? sharedLogger()).child({ component: "scheduler" });
  }

  /**
   * Starts the live tasks, then catches up in the background: a slow report after a restart must not
   * hold the process's start (nor its SIGTERM handling), and a stop waits for it like any run.
   */
  async start(): Promise<void> {
    const schedules = await this.sync();
    void this.track(this.catchUpAll(schedules)).catch((err: unknown) => {
      // the minute tick catches up whatever this could not
      this.logger.error({ err }, "catching up after the start failed");
    });
    this.timer = setInterval(() => {
      void this.track(this.tick()).catch((err: unknown) => {
        this.logger.error({ err }, "schedule sync failed");
      });
    }, SYNC_EVERY_MS);
    this.timer.unref();
  }

  /**
   * Every minute: pick up chat changes, rerun slots whose replica died or that failed undelivered, and
   * catch up slots that passed without a ledger row (the store was down when they fired).
   */
  async tick(): Promise<void> {
    for (const s of await this.sync()) {
      if (s.paused) {
        // a paused schedule's slots are not missed: resuming it must not post them
        await this.checked(s, this.now());
        continue;
      }
      await this.recover(s);
      await this.catchUpSince(s, "while the bot could not reach its store");
    }
  }

  /** Starts no further runs, then waits for the running ones (live, recovered and caught-up slots alike). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const { task } of this.tasks.values()) await task.destroy();
    this.tasks.clear();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Reports being made right now (a stopping process says what it waits for). */
  get runningCount(): number {
    return this.running.size;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    void work.finally(() => this.running.delete(work)).catch(() => undefined);
    return work;
  }

  /** Starts tasks for new or changed schedules and stops removed or paused ones. */
  sync(): Promise<Schedule[]> {
    const next = this.syncing.then(() => this.syncNow());
    this.syncing = next.catch(() => undefined);
    return next;
  }

  private async syncNow(): Promise<Schedule[]> {
    const schedules = await this.opts.book.all();
    const wanted = new Map(schedules.filter((s) => !s.paused).map((s) => [s.name, s]));
    for (const [name, entry] of this.tasks) {
      const s = wanted.get(name);
      if (!s || signature(s) !== entry.signature) {
        await entry.task.destroy();
        this.tasks.delete(name);
      }
    }
    for (const s of wanted.values()) {
      // a chat change during shutdown must not start a task the stop already passed
      if (this.stopped || this.tasks.has(s.name)) continue;
      const runner = this.opts.runner;
      const task = createTask(
        s.cron,
        (ctx) => this.track(runner.runSlot(s, ctx.date, { alreadyClaimed: true })),
        {
          name: s.name,
          timezone: s.timezone,
          distributed: true,
          // the ledger, not a lock: a claimed slot stays claimed, so a late replica can't run it again
          runCoordinator: { shouldRun: (key) => this.claimLive(key) },
          suppressMissedWarning: true,
        },
      );
      await task.start();
      this.tasks.set(s.name, { task, signature: signature(s) });
    }
    return schedules;
  }

  /**
   * Slots of the last grace window whose run was left claimed by a replica that died (lease over), or
   * failed without delivering anything: claiming them again takes them over (the ledger decides).
   */
  async recover(s: Schedule): Promise<void> {
    const now = this.now();
    const grace = this.opts.graceMs ?? DEFAULT_GRACE_MS;
    for (const key of (await this.opts.store.runKeys(keys.runPrefix(s.name))).filter((k) => !keys.isMissedRun(k))) {
      const slot = keys.slotOfRun(s.name, key);
      if (now.getTime() - slot.getTime() > grace) continue;
      const run = await this.opts.store.getRun(key);
      if (!run || run.status === "done" || run.leaseUntil > Date.now()) continue;
      await this.track(this.opts.runner.runSlot(s, slot));
    }
  }

  private async catchUpAll(schedules: readonly Schedule[]): Promise<void> {
    for (const s of schedules) if (!s.paused && !this.stopped) await this.catchUp(s);
  }

  /** After a restart: the latest slot missed within the grace window runs once; anything older is one note. */
  async catchUp(s: Schedule): Promise<void> {
    await this.recover(s);
    await this.catchUpSince(s, "while the bot was down");
  }

  /**
   * Slots since the last good check (or, never checked, since the last ledger row) that have no
   * ledger row: the latest within the grace window runs late, the others are claimed as missed and
   * named in one note, so no later pass counts them again.
   */
  private async catchUpSince(s: Schedule, why: string): Promise<void> {
    const now = this.now();
    const to = new Date(now.getTime() - LIVE_MARGIN_MS);
    const runs = (await this.opts.store.runKeys(keys.runPrefix(s.name))).filter((k) => !keys.isMissedRun(k));
    const from = await this.lastCheck(s, runs);
    // a schedule that never ran and was never checked has nothing to catch up: it starts with its next slot
    if (!from) return this.checked(s, to);
    const done = new Set(runs);
    const passed = slotsBetween(s, new Date(Math.max(from.getTime(), now.getTime() - MAX_LOOKBACK_MS)), to).filter((slot) => !done.has(ledgerKey(s.name, slot)));
    const latest = passed.at(-1);
    if (latest) {
      const recent = now.getTime() - latest.getTime() <= (this.opts.graceMs ?? DEFAULT_GRACE_MS);
      const missed = recent ? passed.slice(0, -1) : passed;
      this.logger.warn({ schedule: s.name, passed: passed.length, why, ...(recent ? { late: latest.toISOString() } : {}) }, recent ? "slots passed unrun; running the latest late" : "slots passed unrun");
      if (missed.length > 0) await this.track(this.opts.runner.postMissed(s, missed, why));
      if (recent) await this.track(this.opts.runner.runSlot(s, latest));
    }
    await this.checked(s, to);
  }

  private async lastCheck(s: Schedule, runs: readonly string[]): Promise<Date | undefined> {
    const raw = await this.opts.store.get(keys.scheduleCheck(s.name));
    if (raw) return new Date((JSON.parse(raw) as { at: string }).at);
    const lastKey = runs.at(-1);
    return lastKey ? new Date(keys.slotOfRun(s.name, lastKey).getTime() + 1) : undefined;
  }

  private async checked(s: Schedule, at: Date): Promise<void> {
    await this.opts.store.put(keys.scheduleCheck(s.name), JSON.stringify({ at: at.toISOString() }));
  }

  /** The live task's claim: with the store down it says no (and says so); the next good tick catches the slot up. */
  private async claimLive(key: string): Promise<boolean> {
    try {
      return await this.opts.runner.claim(key);
    } catch (err) {
      this.logger.warn({ slot: key, err }, "cannot reach the store to claim the slot; it is caught up once the store is back");
      return false;
    }
  }

  private now(): Date {
    return (this.opts.now ?? (() => new Date()))();
  }
}

function signature(s: Schedule): string {
  return JSON.stringify([s.cron, s.timezone, s.report, s.post]);
}
