// A schedule: when (cron in an IANA zone), what (a summary, a condition, an absence check) and where
// (Slack channels, Teams conversations, the console). From YAML configuration or created in chat.
import { IANAZone } from "luxon";
import { validate as validCron } from "node-cron";
import { z } from "zod";

export type Target = { readonly platform: "slack"; readonly channel: string } | { readonly platform: "teams"; readonly conversation: string } | { readonly platform: "console" };

export type ReportSpec =
  | { readonly kind: "summary"; readonly deployments?: readonly string[] }
  | { readonly kind: "condition"; readonly condition: string }
  | { readonly kind: "absence"; readonly deployment: string; readonly windowMinutes: number; readonly businessHours?: BusinessHours };

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
const target = z.union([
  z.strictObject({ slack: z.string().regex(/^[CGD][A-Z0-9]{2,}$/, { error: "must be a Slack channel id such as C0123456789" }) }),
  z.strictObject({ teams: z.string().min(1) }),
  z.strictObject({ console: z.literal(true) }),
]);
const duration = z.string().regex(/^\d+\s*(m|h|d)$/, { error: 'must be a duration such as "30m", "6h" or "1d"' });
const hours = z.string().regex(/^(?:(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?\s+)?([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/i, { error: 'must look like "Mon-Fri 09:00-18:00"' });

export const ScheduleConfig = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, { error: "must be letters, digits, '.', '_' or '-'" }),
  cron,
  timezone: zone.default("UTC"),
  report: z.enum(["summary", "condition", "absence"]),
  deployments: z.array(z.string()).optional(),
  condition: z.string().optional(),
  deployment: z.string().optional(),
  window: duration.optional(),
  businessHours: hours.optional(),
  paused: z.boolean().default(false),
  post: z.array(target).min(1),
});

export function scheduleFromConfig(c: z.infer<typeof ScheduleConfig>): Schedule | string {
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
  }
  const post: Target[] = c.post.map((t) => ("slack" in t ? { platform: "slack", channel: t.slack } : "teams" in t ? { platform: "teams", conversation: t.teams } : { platform: "console" }));
  return { name: c.name, cron: c.cron, timezone: c.timezone, report, post, paused: c.paused, origin: "config" };
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

export function describeTarget(t: Target): string {
  return t.platform === "slack" ? `slack:${t.channel}` : t.platform === "teams" ? `teams:${t.conversation}` : "console";
}

export function sameTarget(a: Target, b: Target): boolean {
  return describeTarget(a) === describeTarget(b);
}
