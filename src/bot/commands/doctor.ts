// "doctor": each configured resource's prerequisites, checked against Azure (metrics readable, a
// diagnostic setting sending the log categories to a workspace, that workspace readable, the activity
// log and deployments readable, which metric family it reports), each failure saying what to do.
import { composeReply } from "../compose.ts";
import { composeTable } from "../compose-table.ts";
import type { Command } from "./command.ts";

export const DOCTOR_USAGE: readonly string[] = ["Prerequisites: `doctor` checks what each resource needs for metrics, logs, the activity log and quota, and says what to fix."];

export function doctorCommand(): Command {
  return {
    name: "doctor",
    words: ["doctor"],
    waitsOnAzure: true,
    access: "doctor",
    usage: DOCTOR_USAGE,
    run: async ({ text, bot }) => {
      const checked = await bot.doctor();
      return checked.kind === "doctor" ? composeTable(checked.answer, { asked: text }) : composeReply(checked, text);
    },
  };
}
