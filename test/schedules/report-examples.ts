// One scheduled message of each kind, built from the demo at a fixed time, that every platform keeps a
// golden copy of (beside the answers' golden files).
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import type { Message } from "../../src/bot/message.ts";
import { absenceReport, checkAbsence } from "../../src/schedules/reports/absence.ts";
import { conditionReport, evaluateCondition, parseCondition } from "../../src/schedules/reports/condition.ts";
import { missedNote } from "../../src/schedules/reports/notes.ts";
import { summaryReport } from "../../src/schedules/reports/summary.ts";

const AT = new Date("2026-11-29T10:00:00Z");
/** Inside the demo's daily gpt-4o-mini throttling burst (13:30-14:40 UTC), so the condition holds. */
const BURST = new Date("2026-11-29T14:30:00Z");
const ZONE = "Europe/Berlin";

export const REPORT_KINDS = ["report-summary", "report-condition-firing", "report-absence", "report-missed"] as const;

export async function reportExamples(): Promise<Record<(typeof REPORT_KINDS)[number], Message>> {
  const { service } = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: BURST });
  const [resource = ""] = service.configuredResourceIds;
  const condition = parseCondition("429s > 10 over 1h for gpt-4o-mini", await service.deployments());
  const check = await checkAbsence(service, "gpt-4o", 360, AT, ZONE);
  // the demo's gpt-4o is busy: the failing case is what an absence alert says
  const absence = absenceReport({ ...check, state: "failing", calls: 1284, successes: 0 });
  if (!absence) throw new Error("a failing deployment always has an absence report");
  return {
    "report-summary": summaryReport(await service.summary(resource, AT, ZONE)),
    "report-condition-firing": conditionReport(condition, await evaluateCondition(condition, service, BURST, ZONE), "firing", "2026-11-29T14:00:00.000Z", 3, BURST),
    "report-absence": absence,
    "report-missed": missedNote("ops-daily", 2, new Date("2026-11-27T08:00:00Z"), new Date("2026-11-28T08:00:00Z"), "while the bot was down"),
  };
}
