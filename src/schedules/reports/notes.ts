// The runner's own notices: slots missed while the bot was down, and a report that may already be
// in a conversation the platform cannot read back.
import { DateTime } from "luxon";
import { localTime, message, type Message } from "../../bot/message.ts";
import type { Schedule } from "../schedule.ts";

export function missedNote(schedule: string, count: number, first: Date, last: Date, why: string): Message {
  return message("notice", "warning", `${schedule}: ${count} scheduled report${count === 1 ? "" : "s"} missed ${why}`, {
    lines: [`From ${localTime(first.toISOString())} to ${localTime(last.toISOString())}. They are not sent late; the next one runs on schedule.`],
  });
}

const KIND_NAME: Readonly<Record<Schedule["report"]["kind"] | "missed", string>> = { summary: "summary", condition: "condition alert", absence: "absence alert", "log-absence": "log absence alert", missed: "missed-reports note" };

/**
 * What a platform that cannot read its conversation posts instead of a message that may already be
 * there. `slot` is the ledger key's time (absent for a missed-reports note, whose key is not a slot).
 */
export function mayAlreadyBeAbove(s: Schedule, what: Message, slot: Date | undefined): Message {
  const when = slot ? `${DateTime.fromJSDate(slot, { zone: s.timezone }).toFormat("HH:mm")} ` : "";
  // a notice a schedule posts is its missed-reports note; every other post is the schedule's report
  const name = KIND_NAME[what.kind === "notice" ? "missed" : s.report.kind];
  return message("notice", "info", `${s.name}: the ${when}${name} may already be above — the bot was interrupted while posting it, so it is not posted twice`);
}
