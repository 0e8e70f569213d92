// "schedule …" as a row of the conversation's command table, registered when the process is wired
// (the bot core knows no schedules). Where a schedule made in chat posts is the Target the platform
// table maps the asker's Place to.
import type { Place } from "../bot/asker.ts";
import type { Command } from "../bot/commands/command.ts";
import { message } from "../bot/message.ts";
import type { ScheduleCommands } from "./commands.ts";
import type { Target } from "./schedule.ts";

export const SCHEDULE_USAGE: readonly string[] = ["Schedules: `schedule daily 09:00 Europe/Berlin` posts a daily summary here; `schedule list`, `schedule pause|resume|delete <id>`."];

/** Verbs that change schedules need `schedule`; listing them (and anything else) only reads. */
const CHANGES: ReadonlySet<string> = new Set(["daily", "delete", "remove", "pause", "resume"]);

export function scheduleCommand(commands: ScheduleCommands, targetFor: (place: Place) => Target | undefined): Command {
  return {
    name: "schedule",
    words: ["schedule", "schedules"],
    waitsOnAzure: false,
    access: (args) => (CHANGES.has((args.split(/\s+/)[0] ?? "").toLowerCase()) ? "schedule" : "ask"),
    usage: SCHEDULE_USAGE,
    run: async ({ text, place }) => {
      const target = targetFor(place);
      if (!target) return message("notice", "warning", "Schedules", { lines: [`Reports can't be posted to ${place.platform} from here; add the schedule to aoai.config.yaml, or say it in a Slack or Teams channel.`] });
      return commands.handle(text, target, place);
    },
  };
}
