// Status-code selectors: what an ask keeps ("errors" = 4xx + 5xx) composed with what the person
// filtered ("status=500", "status=5xx"), so every combination has one figure and one label.
import { metric } from "./catalog.ts";
import { ConflictingStatusError } from "./errors.ts";
import type { MetricAsk, StatusSelector } from "./question.ts";

const CODE = /^[1-5]\d\d$/;
const CLASS = /^([1-5])xx$/i;

/** Successful calls: what latency means wherever the metric has a StatusCode dimension. */
export const SUCCESSFUL: StatusSelector = { kind: "class", prefixes: ["2"], label: "2xx" };

/** Code prefixes a selector keeps ("429" keeps only 429, "5" every 5xx). */
export function prefixesOf(s: StatusSelector): readonly string[] {
  return s.kind === "exact" ? [s.code] : s.prefixes;
}

export function statusMatches(s: StatusSelector, code: string): boolean {
  return prefixesOf(s).some((p) => code.startsWith(p));
}

export function statusLabel(s: StatusSelector): string {
  return s.kind === "exact" ? s.code : s.label;
}

/** The person's StatusCode filter values ("500", "5xx", "429") as one selector. */
export function selectorOfValues(values: readonly string[]): StatusSelector {
  const first = values[0];
  if (values.length === 1 && first !== undefined && !CLASS.test(first)) return { kind: "exact", code: first };
  const prefixes = values.map((v) => CLASS.exec(v)?.[1] ?? v);
  return { kind: "class", prefixes, label: values.map((v) => (CLASS.test(v) ? v.toLowerCase() : v)).join(" + ") };
}

/** Codes both keep, or null when none can be both (429 and 500). */
export function intersect(a: StatusSelector, b: StatusSelector): StatusSelector | null {
  const both = prefixesOf(a).flatMap((p) => prefixesOf(b).flatMap((q) => (p.startsWith(q) ? [p] : q.startsWith(p) ? [q] : [])));
  const kept = [...new Set(both)];
  if (kept.length === 0) return null;
  const only = kept[0]!;
  if (kept.length === 1 && CODE.test(only)) return { kind: "exact", code: only };
  return { kind: "class", prefixes: kept, label: kept.map((p) => (p.length === 1 ? `${p}xx` : p)).join(" + ") };
}

/** A selector that is always split by StatusCode and filtered here (shares need every code's series). */
export function asClass(s: StatusSelector): StatusSelector & { kind: "class" } {
  return s.kind === "class" ? s : { kind: "class", prefixes: [s.code], label: s.code };
}

/** "Errors (4xx + 5xx)" → "Errors": the parenthesis names the status the label is about to be given. */
function baseLabel(label: string): string {
  return label.replace(/\s*\([^()]*\)$/, "");
}

/**
 * The ask as it is answered: the person's status filter composed with the ask's own status, and
 * latency of a metric with a StatusCode dimension narrowed to successful calls unless a status was asked.
 * Metrics without a StatusCode dimension are returned as they are (planning refuses the filter for them).
 */
export function composeStatus(ask: MetricAsk, filterValues: readonly string[] | undefined, share: boolean): MetricAsk {
  const info = metric(ask.metric);
  if (!info.dimensions.includes("StatusCode")) return ask;
  const asked = filterValues !== undefined && filterValues.length > 0 ? selectorOfValues(filterValues) : undefined;
  if (asked === undefined) {
    if (ask.status === undefined && info.unit === "MilliSeconds") return { ...ask, status: SUCCESSFUL, label: `${ask.label} (successful calls)` };
    return share && ask.status ? { ...ask, status: asClass(ask.status) } : ask;
  }
  const status = ask.status === undefined ? asked : intersect(ask.status, asked);
  if (status === null) {
    throw new ConflictingStatusError(`You asked for ${baseLabel(ask.label).toLowerCase()} (${statusLabel(ask.status!)}) with status=${filterValues!.join(",")}: a call has one status code, so nothing can be both.`, {
      hint: `Ask "${baseLabel(ask.label).toLowerCase()}" alone, or "errors status=${filterValues!.join(",")}" for those calls.`,
    });
  }
  const kept = share ? asClass(status) : status;
  return { ...ask, status: kept, label: `${baseLabel(ask.label)} (${statusLabel(kept)})` };
}
