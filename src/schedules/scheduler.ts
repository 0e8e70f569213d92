// Drives schedules with node-cron: one task per schedule in its own zone, with node-cron's
// RunCoordinator deciding "does this replica run this slot?" by claiming the slot in the ledger.
// node-cron never replays slots missed while no process ran, so start-up catches up here.
import { createTask, type ScheduledTask } from "node-cron";
import type { ReportRunner } from "./runner.ts";
import type { Schedule } from "./schedule.ts";
import type { ScheduleBook } from "./schedule-book.ts";
import { slotsBetween } from "./slots.ts";
import type { Store } from "../store/store.ts";

/** A restart within this window posts the latest missed slot late; older ones become one "missed" note. */
export const DEFAULT_GRACE_MS = 2 * 3_600_000;
/** How often chat-made changes from other replicas are picked up. */
const SYNC_EVERY_MS = 60_000;

export interface SchedulerOptions {
  readonly runner: ReportRunner;
  readonly book: ScheduleBook;
  readonly store: Store;
  readonly graceMs?: number;
  readonly now?: () => Date;
  readonly log?: (m: string) => void;
}

export class Scheduler {
  private readonly opts: SchedulerOptions;
  private readonly tasks = new Map<string, { task: ScheduledTask; signature: string }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<unknown>>();
  /** syncs run one after another: two at once would both start a task for a new schedule */
  private syncing: Promise<unknown> = Promise.resolve();

  constructor(opts: SchedulerOptions) {
    this.opts = opts;
  }

  async start(): Promise<void> {
    const schedules = await this.sync();
    for (const s of schedules) if (!s.paused) await this.catchUp(s);
    this.timer = setInterval(() => {
      void this.tick().catch((err: unknown) => {
        this.log(`schedule sync failed: ${err instanceof Error ? err.message : String(err)}`);
      });
    }, SYNC_EVERY_MS);
    this.timer.unref();
  }

  /** Every minute: pick up chat changes, and rerun slots whose replica died or that failed undelivered. */
  async tick(): Promise<void> {
    for (const s of await this.sync()) if (!s.paused) await this.recover(s);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const { task } of this.tasks.values()) await task.destroy();
    this.tasks.clear();
    await Promise.allSettled([...this.running]);
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
      if (this.tasks.has(s.name)) continue;
      const runner = this.opts.runner;
      const task = createTask(
        s.cron,
        (ctx) => {
          const run = runner.runSlot(s, ctx.date, { alreadyClaimed: true });
          this.running.add(run);
          return run.finally(() => this.running.delete(run));
        },
        {
          name: s.name,
          timezone: s.timezone,
          distributed: true,
          // the ledger, not a lock: a claimed slot stays claimed, so a late replica can't run it again
          runCoordinator: { shouldRun: (key) => runner.claim(key) },
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
    const now = (this.opts.now ?? (() => new Date()))();
    const grace = this.opts.graceMs ?? DEFAULT_GRACE_MS;
    for (const key of (await this.opts.store.runKeys(`${s.name}:`)).filter((k) => !k.includes(":missed:"))) {
      const slot = new Date(key.slice(s.name.length + 1));
      if (now.getTime() - slot.getTime() > grace) continue;
      const run = await this.opts.store.getRun(key);
      if (!run || run.status === "done" || run.leaseUntil > Date.now()) continue;
      await this.opts.runner.runSlot(s, slot);
    }
  }

  /** After a restart: the latest slot missed within the grace window runs once; anything older is one note. */
  async catchUp(s: Schedule): Promise<void> {
    await this.recover(s);
    const now = (this.opts.now ?? (() => new Date()))();
    const keys = (await this.opts.store.runKeys(`${s.name}:`)).filter((k) => !k.includes(":missed:"));
    const lastKey = keys.at(-1);
    // a schedule that never ran has nothing to catch up: it starts with its next slot
    if (!lastKey) return;
    const last = new Date(lastKey.slice(s.name.length + 1));
    const passed = slotsBetween(s, new Date(last.getTime() + 1), now);
    if (passed.length === 0) return;
    const grace = this.opts.graceMs ?? DEFAULT_GRACE_MS;
    const latest = passed.at(-1)!;
    const recent = now.getTime() - latest.getTime() <= grace;
    const missed = recent ? passed.slice(0, -1) : passed;
    if (missed.length > 0) await this.opts.runner.postMissed(s, missed);
    if (recent) await this.opts.runner.runSlot(s, latest);
  }

  private log(m: string): void {
    (this.opts.log ?? ((x: string) => process.stderr.write(`${x}\n`)))(m);
  }
}

function signature(s: Schedule): string {
  return JSON.stringify([s.cron, s.timezone, s.report, s.post]);
}
