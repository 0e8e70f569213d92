// A schedule: when (cron in an IANA zone), what (a summary, a condition, an absence check) and where
// (the platform table's targets: Slack channels, Teams conversations, the console, …). From YAML
// configuration or created in chat.
import { IANAZone } from "luxon";
import { validate as validCron } from "node-cron";
import { z } from "zod";
import { LOG_ABSENCE_DEFAULT_WINDOW, logAbsenceSpec } from "./reports/log-absence.ts";

/**
 * Each platform's target fields, by platform name. A platform's own folder adds its entry
 * (src/adapters/<platform>/target.ts, by declaration merging), and its row in the platform table
 * (src/app/platforms.ts) says how configuration spells one: the schedule layer names no platform.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by each platform's target.ts
export interface TargetFields {}

/** Where a report goes: `{ platform: "slack", channel }`, `{ platform: "teams", conversation }`, `{ platform: "console" }`, … */
export type Target = { readonly [P in keyof TargetFields]: { readonly platform: P } & Readonly<TargetFields[P]> }[keyof TargetFields];

export type ReportSpec =
  | { readonly kind: "summary"; readonly deployments?: readonly string[] }
  | { readonly kind: "condition"; readonly condition: string }
  | { readonly kind: "absence"; readonly deployment: string; readonly windowMinutes: number; readonly businessHours?: BusinessHours }
  /** No RequestResponse log rows in the window (reports/log-absence.ts); no deployments: every deployment of each resource. */
  | { readonly kind: "log-absence"; readonly deployments: readonly string[]; readonly windowMinutes: number; readonly businessHours?: BusinessHours };

export interface BusinessHours {
  /** ISO weekdays, 1 = Monday. */
  readonly days: readonly number[];
  readonly from: string;
  readonly to: string;
}

export interface Schedule {
  /** Unique; the ledger key. */
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  readonly report: ReportSpec;
  readonly post: readonly Target[];
  readonly paused: boolean;
  readonly origin: "config" | "chat";
  readonly createdBy?: string;
}

const cron = z.string().trim().refine((c) => c.split(/\s+/).length === 5 && validCron(c), { error: 'must be a 5-field cron expression such as "0 9 * * 1-5" (minute hour day-of-month month day-of-week)' });
const zone = z.string().refine((tz) => IANAZone.isValidZone(tz), { error: "must be an IANA time zone such as Europe/Berlin" });
const duration = z.string().regex(/^\d+\s*(m|h|d)$/, { error: 'must be a duration such as "30m", "6h" or "1d"' });
const hours = z.string().regex(/^(?:(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?\s+)?([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/i, { error: 'must look like "Mon-Fri 09:00-18:00"' });

/** How configuration spells one platform's target (`{ slack: C0123 }`), and the Target it means. */
export type TargetSchema<T extends { readonly platform: string } = Target> = z.ZodPipe<z.ZodObject, z.ZodType<T>>;

/** A `schedules:` entry; `targets` are the platform table's `post:` entry schemas. */
export function scheduleConfigSchema(targets: readonly TargetSchema[]) {
  const [first, ...more] = targets.map((t) => t.in);
  if (!first) throw new Error("the platform table has no platform to post reports to");
  // the union of the spellings (so a mistake is named by its field: post.0.slack), then the one that matched says what it means
  const entry = (more.length === 0 ? first : z.union([first, ...more])).transform((e) => {
    for (const t of targets) {
      const parsed = t.safeParse(e);
      if (parsed.success) return parsed.data;
    }
    throw new Error("unreachable: the entry matched one of the spellings");
  });
  return z.strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, { error: "must be letters, digits, '.', '_' or '-'" }),
    cron,
    timezone: zone.default("UTC"),
    report: z.enum(["summary", "condition", "absence", "log-absence"]),
    deployments: z.array(z.string()).optional(),
    condition: z.string().optional(),
    deployment: z.string().optional(),
    window: duration.optional(),
    businessHours: hours.optional(),
    paused: z.boolean().default(false),
    post: z.array(entry).min(1),
  });
}

export type ScheduleConfigEntry = z.output<ReturnType<typeof scheduleConfigSchema>>;

export function scheduleFromConfig(c: ScheduleConfigEntry): Schedule | string {
  let report: ReportSpec;
  switch (c.report) {
    case "summary":
      report = { kind: "summary", ...(c.deployments ? { deployments: c.deployments } : {}) };
      break;
    case "condition":
      if (!c.condition) return `schedule ${c.name}: report "condition" needs a condition, e.g. condition: "429s > 100 over 1h for gpt-4o"`;
      report = { kind: "condition", condition: c.condition };
      break;
    case "absence":
      if (!c.deployment) return `schedule ${c.name}: report "absence" needs a deployment`;
      report = { kind: "absence", deployment: c.deployment, windowMinutes: minutes(c.window ?? "6h"), ...(c.businessHours ? { businessHours: parseHours(c.businessHours) } : {}) };
      break;
    case "log-absence": {
      const spec = logAbsenceSpec(c.name, { deployment: c.deployment, deployments: c.deployments, windowMinutes: minutes(c.window ?? LOG_ABSENCE_DEFAULT_WINDOW), ...(c.businessHours ? { businessHours: parseHours(c.businessHours) } : {}) });
      if (typeof spec === "string") return spec;
      report = spec;
      break;
    }
  }
  return { name: c.name, cron: c.cron, timezone: c.timezone, report, post: c.post, paused: c.paused, origin: "config" };
}

function minutes(d: string): number {
  const m = /^(\d+)\s*(m|h|d)$/.exec(d);
  const n = Number(m?.[1] ?? 0);
  return m?.[2] === "d" ? n * 1440 : m?.[2] === "h" ? n * 60 : n;
}

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

export function parseHours(text: string): BusinessHours {
  const m = /^(?:(\w{3})(?:-(\w{3}))?\s+)?(\d\d:\d\d)-(\d\d:\d\d)$/i.exec(text.trim());
  const from = DAYS.indexOf((m?.[1] ?? "mon").toLowerCase()) + 1;
  const to = DAYS.indexOf((m?.[2] ?? m?.[1] ?? "sun").toLowerCase()) + 1;
  const days: number[] = [];
  for (let d = from; ; d = (d % 7) + 1) {
    days.push(d);
    if (d === to || days.length === 7) break;
  }
  return { days: m?.[1] ? days : [1, 2, 3, 4, 5, 6, 7], from: m?.[3] ?? "00:00", to: m?.[4] ?? "23:59" };
}

/**
 * A target's name in ledger keys, lists and logs: the platform, then its address fields in key order
 * ("slack:C0123", "teams:19:…@thread.tacv2", "console"). Stored delivery records use it: never change it.
 */
export function describeTarget(t: { readonly platform: string }): string {
  const fields = t as unknown as Readonly<Record<string, unknown>>;
  const address = Object.keys(fields).filter((k) => k !== "platform").sort().map((k) => String(fields[k]));
  return [t.platform, ...address].join(":");
}

export function sameTarget(a: Target, b: Target): boolean {
  return describeTarget(a) === describeTarget(b);
}
