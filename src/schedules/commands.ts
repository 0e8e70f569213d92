// Managing schedules from chat: "schedule daily 09:00 Europe/Berlin", "schedule list",
// "schedule delete|pause|resume <id>". A schedule made in a channel posts to that channel, and only
// people in that channel (the ones who can ask from it) can change it.
import { randomUUID } from "node:crypto";
import { DateTime, IANAZone } from "luxon";
import type { Asker } from "../bot/asker.ts";
import { localTime, message, type Message, type Tone } from "../bot/message.ts";
import { describeTarget, sameTarget, type Schedule, type Target } from "./schedule.ts";
import type { ScheduleBook } from "./schedule-book.ts";
import { nextSlots } from "./slots.ts";

const COMMAND = /^\s*(?:[/@]?aoai\s+)?schedules?\b\s*(.*)$/i;

export interface ScheduleCommandsOptions {
  readonly book: ScheduleBook;
  /** Asked to pick up a change at once (other replicas catch up within a minute). */
  readonly changed?: () => Promise<unknown>;
  readonly defaultZone: string;
  readonly now?: () => Date;
}

const USAGE = [
  "`schedule daily 09:00 Europe/Berlin`: a daily summary in this channel at 09:00 Berlin time",
  "`schedule list`: this channel's schedules and their next runs",
  "`schedule pause <id>`, `schedule resume <id>`, `schedule delete <id>`",
];

export class ScheduleCommands {
  private readonly opts: ScheduleCommandsOptions;

  constructor(opts: ScheduleCommandsOptions) {
    this.opts = opts;
  }

  async handle(text: string, target: Target, asker: Asker): Promise<Message> {
    const rest = (COMMAND.exec(text)?.[1] ?? "").trim();
    const [verb = "", ...args] = rest.split(/\s+/).filter((w) => w.length > 0);
    switch (verb.toLowerCase()) {
      case "daily":
        return this.daily(args, target, asker);
      case "list":
      case "":
        return this.list(target);
      case "delete":
      case "remove":
        return this.change(args[0], target, "delete");
      case "pause":
        return this.change(args[0], target, "pause");
      case "resume":
        return this.change(args[0], target, "resume");
      default:
        return notice("Schedules", "warning", [`I don't know "schedule ${verb}".`, ...USAGE]);
    }
  }

  private async daily(args: readonly string[], target: Target, asker: Asker): Promise<Message> {
    const time = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(args[0] ?? "");
    if (!time) return notice("Schedules", "warning", ["Give a time of day, e.g. `schedule daily 09:00 Europe/Berlin`."]);
    const zone = args[1] ?? this.opts.defaultZone;
    if (!IANAZone.isValidZone(zone)) return notice("Schedules", "warning", [`"${zone}" is not an IANA time zone; try Europe/Berlin, America/New_York or UTC.`]);
    const s: Schedule = {
      name: `daily-${randomUUID().slice(0, 6)}`,
      cron: `${Number(time[2])} ${Number(time[1])} * * *`,
      timezone: zone,
      report: { kind: "summary" },
      post: [target],
      paused: false,
      origin: "chat",
      ...(asker.user ? { createdBy: `${asker.platform}:${asker.user}` } : {}),
    };
    await this.opts.book.save(s);
    await this.opts.changed?.();
    return notice(`Daily summary scheduled: ${s.name}`, "ok", [`Every day at **${args[0] ?? ""} ${zone}** in this channel.`, ...this.nextRuns(s)]);
  }

  private async list(target: Target): Promise<Message> {
    const mine = (await this.opts.book.all()).filter((s) => s.post.some((t) => sameTarget(t, target)));
    if (mine.length === 0) return notice("Schedules", "info", ["No schedules post to this channel yet.", ...USAGE]);
    const lines = mine.flatMap((s) => [`**${s.name}**: ${s.report.kind}, cron \`${s.cron}\` in ${s.timezone}${s.paused ? " — **paused**" : ""}${s.origin === "config" ? " (from configuration)" : ""}`, ...(s.paused ? [] : this.nextRuns(s))]);
    return notice(`Schedules for ${describeTarget(target)}`, "info", lines);
  }

  private async change(name: string | undefined, target: Target, action: "delete" | "pause" | "resume"): Promise<Message> {
    if (!name) return notice("Schedules", "warning", [`Which one? \`schedule ${action} <id>\`; \`schedule list\` shows the ids.`]);
    const s = await this.opts.book.find(name);
    if (!s || !s.post.some((t) => sameTarget(t, target))) return notice("Schedules", "warning", [`This channel has no schedule "${name}". \`schedule list\` shows its schedules.`]);
    if (s.origin === "config") return notice("Schedules", "warning", [`"${s.name}" comes from the bot's configuration file; change it there.`]);
    if (action === "delete") await this.opts.book.remove(s.name);
    else await this.opts.book.save({ ...s, paused: action === "pause" });
    await this.opts.changed?.();
    const done = { delete: "deleted", pause: "paused", resume: "resumed" }[action];
    return notice(`Schedule ${s.name} ${done}`, "ok", action === "resume" ? this.nextRuns({ ...s, paused: false }) : []);
  }

  /** Next runs in the schedule's zone, and as a local-time token each platform shows in the reader's zone. */
  private nextRuns(s: Schedule): string[] {
    const now = (this.opts.now ?? (() => new Date()))();
    return nextSlots(s, now, 3).map((d, i) => `${i === 0 ? "Next runs: " : "           "}${DateTime.fromJSDate(d, { zone: s.timezone }).toFormat("ccc d LLL HH:mm")} ${s.timezone} (${localTime(d.toISOString())} your time)`);
  }
}

function notice(title: string, tone: Tone, lines: readonly string[]): Message {
  return message("notice", tone, title, { lines });
}
