// "No successful calls for deployment X in 6h": three different situations look alike and need
// different people — the deployment is idle, it is failing every call, or Azure Monitor has no
// data at all for the resource (a metrics gap: pipeline delay or outage, not silence).
import { DateTime } from "luxon";
import { formatValue, source } from "../../bot/format.ts";
import { message, type Message } from "../../bot/message.ts";
import { formatMinutes } from "../../queries/time-window.ts";
import type { QueryAnswer } from "../../queries/result.ts";
import type { Resource } from "../../queries/resources.ts";
import type { QueryService } from "../../queries/service.ts";
import type { Question } from "../../queries/question.ts";
import type { BusinessHours } from "../schedule.ts";

export type AbsenceState = "present" | "idle" | "failing" | "metrics-gap";

export interface AbsenceCheck {
  readonly state: AbsenceState;
  readonly deployment: string;
  readonly windowMinutes: number;
  readonly calls: number | null;
  readonly successes: number | null;
  readonly answer: QueryAnswer;
}

export function withinBusinessHours(hours: BusinessHours | undefined, at: Date, zone: string): boolean {
  if (!hours) return true;
  const local = DateTime.fromJSDate(at, { zone });
  const hhmm = local.toFormat("HH:mm");
  return hours.days.includes(local.weekday) && hhmm >= hours.from && hhmm <= hours.to;
}

const WEEKDAY = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** "Mon-Fri 09:00-18:00": the days as configured (a range, possibly across the weekend), then the hours. */
export function describeHours(hours: BusinessHours): string {
  const name = (d: number | undefined) => WEEKDAY[(d ?? 1) - 1] ?? "";
  const days = hours.days.length === 7 ? "daily" : hours.days.length === 1 ? name(hours.days[0]) : `${name(hours.days[0])}-${name(hours.days.at(-1))}`;
  return `${days} ${hours.from}-${hours.to}`;
}

/**
 * What an absence check says instead of checking outside business hours (silence at night is
 * expected), or undefined when it checks. Recorded as the slot's outcome; nothing is posted.
 */
export function outsideBusinessHours(hours: BusinessHours | undefined, at: Date, zone: string): string | undefined {
  if (!hours || withinBusinessHours(hours, at, zone)) return undefined;
  return `outside business hours (${describeHours(hours)} ${zone}): not checked`;
}

/** `resources`: what the report's channels may see (audience.ts); absent: everything configured. */
export async function checkAbsence(service: QueryService, deployment: string, windowMinutes: number, at: Date, zone: string, resources?: readonly Resource[]): Promise<AbsenceCheck> {
  const question: Question = {
    topic: `Successful calls for ${deployment}`,
    asks: [
      { metric: "AzureOpenAIRequests", aggregation: "Total", label: "Calls" },
      { metric: "AzureOpenAIRequests", aggregation: "Total", label: "Successful calls (2xx)", status: { kind: "class", prefixes: ["2"], label: "2xx" } },
    ],
    window: { kind: "relative", minutes: windowMinutes },
    filters: {},
    splitBy: "ModelDeploymentName",
    top: 50,
    notes: [],
  };
  const answer = await service.answer(question, at, zone, resources);
  const [calls, successes] = answer.results;
  const row = (r: typeof calls) => r?.series.find((s) => s.dimensions.ModelDeploymentName?.toLowerCase() === deployment.toLowerCase());
  // no deployment had calls: the resource-wide count (Azure writes zeros there) tells idle from no data
  const resourceHasData = (calls !== undefined && calls.value !== null) || (await resourceReports(service, windowMinutes, at, zone, resources));
  const callCount = row(calls)?.value ?? (resourceHasData ? 0 : null);
  const successCount = row(successes)?.value ?? (resourceHasData ? 0 : null);
  const state: AbsenceState = !resourceHasData ? "metrics-gap" : (successCount ?? 0) > 0 ? "present" : (callCount ?? 0) > 0 ? "failing" : "idle";
  return { state, deployment, windowMinutes, calls: callCount, successes: successCount, answer };
}

async function resourceReports(service: QueryService, windowMinutes: number, at: Date, zone: string, resources?: readonly Resource[]): Promise<boolean> {
  const unsplit: Question = { topic: "Requests", asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Calls" }], window: { kind: "relative", minutes: windowMinutes }, filters: {}, notes: [] };
  const answer = await service.answer(unsplit, at, zone, resources);
  return answer.results.some((r) => r.value !== null);
}

const TEXT: Readonly<Record<Exclude<AbsenceState, "present">, (c: AbsenceCheck, w: string) => { title: string; lines: string[] }>> = {
  idle: (c, w) => ({ title: `No calls at all to ${c.deployment} in the last ${w}`, lines: [`The deployment is **idle**: Azure Monitor recorded **0** requests for it, and its metrics are flowing. Check the clients that should be calling it.`] }),
  failing: (c, w) => ({ title: `No successful calls to ${c.deployment} in the last ${w}`, lines: [`It received **${formatValue(c.calls, "Count")}** calls and **none succeeded**: every call failed. Ask "errors by status code for ${c.deployment}" for the codes.`] }),
  "metrics-gap": (c, w) => ({ title: `No metrics at all for the resource in the last ${w}`, lines: [`Azure Monitor returned **no data points** for any deployment, so silence from ${c.deployment} can't be told from a **metrics gap** (pipeline delay or outage). This is not the same as no traffic; check again later or look at Azure status.`] }),
};

export function absenceReport(c: AbsenceCheck): Message | undefined {
  if (c.state === "present") return undefined;
  const w = formatMinutes(c.windowMinutes);
  const { title, lines } = TEXT[c.state](c, w);
  return message("report", "warning", title, { lines, footnotes: c.answer.results.map((r) => source(r)) });
}
