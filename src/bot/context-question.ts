// A Question read back from the store (a follow-up's context) or from a button's value: both come
// from outside the process, so every part is checked before the query layer sees it. A record that
// does not fit (tampered, or written by an older version whose Question had another shape) reads as
// no question at all, never as a crash or a half-checked one.
import { z } from "zod";
import { AGGREGATIONS, DIMENSIONS, findMetric, type Dimension } from "../queries/catalog.ts";
import { assertSafeValue } from "../queries/filter.ts";
import type { FigureId, Question, WindowSpec } from "../queries/question.ts";

const FIGURE_IDS = ["success-rate", "error-rate", "throttle-rate", "rpm", "rpm-peak", "tpm", "tpm-peak", "latency-peak-minute"] as const satisfies readonly FigureId[];
// compile-time: a figure added to FigureId must be listed here too
type Unlisted = Exclude<FigureId, (typeof FIGURE_IDS)[number]>;
export const EVERY_FIGURE_LISTED: [Unlisted] extends [never] ? true : never = true;

const text = z.string().max(500);
const safeValue = (dimension: Dimension) =>
  z.string().refine((v) => {
    try {
      assertSafeValue(dimension, v);
      return true;
    } catch {
      return false;
    }
  });

const status = z.union([
  z.strictObject({ kind: z.literal("exact"), code: z.string().regex(/^[1-5]\d{2}$/) }),
  z.strictObject({ kind: z.literal("class"), prefixes: z.array(z.string().regex(/^[1-5]\d{0,2}$/)).min(1).max(5), label: text }),
]);

const ask = z
  .strictObject({
    metric: z.string(),
    aggregation: z.enum(AGGREGATIONS),
    label: text,
    status: status.optional(),
    figure: z.enum(FIGURE_IDS).optional(),
  })
  .refine((a) => findMetric(a.metric)?.name === a.metric && findMetric(a.metric)?.aggregations.includes(a.aggregation) === true);

const clock = z.strictObject({ hour: z.number().int().min(0).max(23), minute: z.number().int().min(0).max(59) });
/** A day part may end at 24:00. */
const dayClock = z.strictObject({ hour: z.number().int().min(0).max(24), minute: z.number().int().min(0).max(59) });
const daysAgo = z.number().int().min(0).max(93).optional();
const dayPart = z.strictObject({ name: text.optional(), from: dayClock, to: dayClock });
const window = z.union([
  z.strictObject({ kind: z.literal("relative"), minutes: z.number().int().min(1) }),
  z.strictObject({ kind: z.enum(["today", "yesterday", "this-week", "this-month"]) }),
  z.strictObject({ kind: z.literal("since"), time: clock, daysAgo }),
  z.strictObject({ kind: z.literal("between"), from: clock, to: clock, daysAgo }),
  z.strictObject({ kind: z.literal("absolute"), start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) }),
  z.strictObject({ kind: z.literal("weekday"), weekday: z.number().int().min(1).max(7), beforeToday: z.boolean(), part: dayPart.optional() }),
  z.strictObject({ kind: z.literal("day-part"), part: dayPart, daysAgo }),
]);
// compile-time: a window kind added to WindowSpec must be read back here too
type UnlistedWindow = Exclude<WindowSpec["kind"], z.infer<typeof window>["kind"]>;
export const EVERY_WINDOW_LISTED: [UnlistedWindow] extends [never] ? true : never = true;

const filters = z.strictObject(Object.fromEntries(DIMENSIONS.map((d) => [d, z.array(safeValue(d)).min(1).max(20).optional()])) as Record<Dimension, z.ZodOptional<z.ZodArray<z.ZodString>>>);

// strict: a record with a field this version does not know is from another version, and is ignored
const question = z.strictObject({
  topic: text,
  asks: z.array(ask).min(1).max(20),
  window,
  filters,
  splitBy: z.enum(DIMENSIONS).optional(),
  top: z.number().int().min(1).max(50).optional(),
  order: z.enum(["asc", "desc"]).optional(),
  baseline: z.enum(["day-before", "week-before"]).optional(),
  estimate: z.enum(["spend"]).optional(),
  verdict: z.strictObject({ focus: z.array(safeValue("ModelDeploymentName")).max(50) }).optional(),
  notes: z.array(z.string().max(1000)).max(20),
});

// compile-time: a field added to Question must be read back here too
type UnlistedField = Exclude<keyof Question, keyof z.infer<typeof question>>;
export const EVERY_FIELD_LISTED: [UnlistedField] extends [never] ? true : never = true;

/** The Question `value` holds, or undefined when it is not one. */
export function readQuestion(value: unknown): Question | undefined {
  const parsed = question.safeParse(value);
  if (!parsed.success) return undefined;
  const read: Question = parsed.data;
  return read;
}
