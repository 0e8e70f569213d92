// "What changed on the resource today?", "who changed gpt-4o this week?": the activity log's
// changes as a table (newest first), and the one line a metric answer puts under a sharp change.
import { DateTime } from "luxon";
import { operationSentence } from "./activity-operations.ts";
import type { ActivityEvent, ActivityLogReader } from "./arm-readers.ts";
import { InvalidWindowError } from "./errors.ts";
import { resolveDeployment } from "./deployments.ts";
import { resourceName, type Resource } from "./resources.ts";
import { queryable, showsDeployment, visibleNames } from "./scope.ts";
import type { ArmRequest, ResultColumn, TableAnswer } from "./table-answer.ts";
import type { ActivityQuestion } from "./table-questions.ts";
import { describeInZone, iso, resolveWindow, type ResolvedWindow } from "./time-window.ts";

/** Azure keeps activity-log events for 90 days. */
export const ACTIVITY_RETENTION_DAYS = 90;

export interface ActivityQueriesOptions {
  readonly reader: ActivityLogReader;
  readonly zone: string;
  readonly now?: () => Date;
}

const COLUMNS: readonly ResultColumn[] = [
  { name: "time", type: "datetime" },
  { name: "what", type: "string" },
  { name: "deployment", type: "string" },
  { name: "who", type: "string" },
  { name: "status", type: "string" },
];

export class ActivityQueries {
  private readonly reader: ActivityLogReader;
  private readonly zone: string;
  private readonly now: () => Date;

  constructor(options: ActivityQueriesOptions) {
    this.reader = options.reader;
    this.zone = options.zone;
    this.now = options.now ?? (() => new Date());
  }

  /** One Activity Logs - List per resource, as `answer` sends it. */
  plan(q: ActivityQuestion, askedOf: readonly Resource[], now = this.now()): ArmRequest[] {
    const w = this.window(q, now);
    const resources = queryable(askedOf);
    scopedNames(q, resources);
    return resources.map((r) => this.reader.request(r.id, w.start, w.end));
  }

  async answer(q: ActivityQuestion, askedOf: readonly Resource[], now = this.now()): Promise<TableAnswer> {
    const w = this.window(q, now);
    // a restricted asker: no resource they may see nothing of, no event on a deployment they may not see
    const resources = queryable(askedOf);
    scopedNames(q, resources);
    const requests = resources.map((r) => this.reader.request(r.id, w.start, w.end));
    const perResource = await Promise.all(resources.map(async (r) => (await this.reader.events(r.id, w.start, w.end)).map((e) => ({ e: canonical(e, r), r }))));
    const wanted = new Set(q.deployments.map((d) => d.toLowerCase()));
    const rows = perResource
      .flat()
      .filter(({ e, r }) => e.deployment === undefined || showsDeployment(r, e.deployment))
      .filter(({ e }) => wanted.size === 0 || (e.deployment !== undefined && wanted.has(e.deployment.toLowerCase())))
      .sort((a, b) => b.e.time.localeCompare(a.e.time));
    const several = resources.length > 1;
    const known = resources.flatMap((r) => r.deployments);
    const asNamed = (d: string) => known.find((k) => k.toLowerCase() === d.toLowerCase()) ?? d;
    const subject = q.deployments.length > 0 ? q.deployments.map(asNamed).join(", ") : resources.map((r) => r.name).join(", ");
    const when = windowPhrase(w.label);
    const newest = rows[0];
    return {
      kind: "activity",
      topic: q.topic,
      zone: this.zone,
      window: { start: iso(w.start), end: iso(w.end), label: w.label },
      table: {
        columns: several ? [...COLUMNS, { name: "resource", type: "string" }] : COLUMNS,
        rows: rows.map(({ e, r }) => [e.time, e.detail === undefined ? e.label : `${e.label}: ${e.detail}`, e.deployment ?? null, e.caller, e.status, ...(several ? [r.name] : [])]),
      },
      shownRows: rows.length,
      ...(rows.length === 0 ? { empty: `No changes recorded on ${subject} ${when} (${describeInZone(w, this.zone)}).` } : {}),
      lines: newest === undefined ? [] : [`${count(rows.length, "change")} on ${subject} ${when}; the latest: ${sentence(newest.e, newest.r.name, this.zone, w)}.`],
      notes: [...q.notes, "The activity log shows an event 3 to 20 minutes after it happened, so the last minutes may be missing."],
      sources: requests.map((r) => `activity log · ${r.scope} · ${r.filter ?? ""}`),
      requests,
    };
  }

  /**
   * Changes on these resources in [start, end), oldest first: for the line under a sharp change.
   * `seen`: the resources the asker may see (scope.ts); events on other resources or on deployments
   * they may not see are left out. Absent: every event.
   */
  async changesDuring(resourceIds: readonly string[], start: Date, end: Date, seen?: readonly Resource[]): Promise<ActivityEvent[]> {
    const ids = seen === undefined ? resourceIds : resourceIds.filter((id) => seen.some((r) => r.id.toLowerCase() === id.toLowerCase()));
    const lists = await Promise.all(ids.map((id) => this.reader.events(id, start, end)));
    const shown = (e: ActivityEvent) => {
      if (seen === undefined) return true;
      const r = seen.find((s) => s.id.toLowerCase() === accountOf(e.resourceId).toLowerCase());
      return r !== undefined && (e.deployment === undefined || showsDeployment(r, e.deployment));
    };
    return lists.flat().filter(shown).sort((a, b) => a.time.localeCompare(b.time));
  }

  private window(q: ActivityQuestion, now: Date): ResolvedWindow {
    const w = resolveWindow(q.window, now, this.zone);
    if (now.getTime() - w.start.getTime() > ACTIVITY_RETENTION_DAYS * 86_400_000) {
      throw new InvalidWindowError(`Azure keeps the activity log for ${ACTIVITY_RETENTION_DAYS} days; that window starts earlier.`, { hint: 'Ask about the last 90 days or less, e.g. "what changed this month".' });
    }
    return w;
  }
}

/**
 * One line for a metric answer's sharp change: "gpt-4o was updated (capacity 100 → 150) at 14:02 by
 * alice@contoso.com"; several events: the first, "and N more changes". Undefined when there are none.
 * With `window` spanning several local days, the time carries its date.
 */
export function changeLine(events: readonly ActivityEvent[], zone: string, window?: { readonly start: Date; readonly end: Date }): string | undefined {
  const sorted = [...events].sort((a, b) => a.time.localeCompare(b.time));
  const first = sorted[0];
  if (first === undefined) return undefined;
  const more = sorted.length - 1;
  return `${sentence(first, resourceName(accountOf(first.resourceId)), zone, window)}${more > 0 ? ` and ${count(more, "more change")}` : ""}.`;
}

function sentence(e: ActivityEvent, resource: string, zone: string, window?: { readonly start: Date; readonly end: Date }): string {
  const what = operationSentence(e.operation, e.label, { deployment: e.deployment, resource });
  const failed = e.status.toLowerCase() === "failed" ? " (it failed)" : "";
  return `${what}${e.detail === undefined ? "" : ` (${e.detail})`} ${at(e.time, zone, window)} by ${e.caller}${failed}`;
}

function at(time: string, zone: string, window?: { readonly start: Date; readonly end: Date }): string {
  const t = DateTime.fromISO(time, { zone });
  const multiDay = window !== undefined && !DateTime.fromJSDate(window.start, { zone }).hasSame(DateTime.fromJSDate(window.end, { zone }).minus({ milliseconds: 1 }), "day");
  return multiDay ? `on ${t.toFormat("MMM d")} at ${t.toFormat("HH:mm")}` : `at ${t.toFormat("HH:mm")}`;
}

/** The account an event is on or under (its deployment, setting or assignment). */
function accountOf(resourceId: string): string {
  const m = /^(.*?\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+)/i.exec(resourceId);
  return m?.[1] ?? resourceId;
}

/** Named deployments must be ones the asker may see: a hidden one is refused as an unknown one is, listing only the visible. */
function scopedNames(q: ActivityQuestion, resources: readonly Resource[]): void {
  const visible = visibleNames(resources);
  if (visible !== undefined) q.deployments.forEach((d) => resolveDeployment(d, visible));
}

/** The deployment as the resource names it (the activity log may upper-case ids). */
function canonical(e: ActivityEvent, r: Resource): ActivityEvent {
  if (e.deployment === undefined) return e;
  const known = r.deployments.find((d) => d.toLowerCase() === e.deployment!.toLowerCase());
  return known === undefined || known === e.deployment ? e : { ...e, deployment: known };
}

/** "today", "this week", "since 09:00" read on their own; "last 1 h" becomes "in the last 1 h". */
function windowPhrase(label: string): string {
  if (/^(today|yesterday|this |since )/.test(label)) return label;
  return label.startsWith("last ") ? `in the ${label}` : `in ${label}`;
}

function count(n: number, what: string): string {
  return `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
}
