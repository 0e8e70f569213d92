// The one platform-neutral message: answers, help, errors, notices and scheduled reports are all a
// Message. Wording is decided here (in the bot and report builders); each platform has exactly one
// renderer that lays a Message out (Block Kit, Adaptive Card, text) and never rewords it.
//
// Rich text in `lines`, `notes`, `footnotes` and table cells uses a tiny markup every renderer knows:
// **bold**, `code`, and ⟦ISO instant⟧ for a time each platform shows in the reader's own zone.
import type { MetricUnit } from "../queries/catalog.ts";
import type { FollowUp } from "./follow-up.ts";

export type Tone = "info" | "ok" | "warning" | "firing" | "resolved" | "error" | "working";

export const TONE_ICON: Readonly<Record<Tone, string>> = { info: "📊", ok: "🟢", warning: "⚠️", firing: "🔴", resolved: "✅", error: "⚠️", working: "⏳" };

export interface Point {
  readonly time: string;
  readonly value: number | null;
}

/** A series drawn as a sparkline today and as a chart later. */
export interface Series {
  readonly label: string;
  readonly unit: MetricUnit;
  readonly points: readonly Point[];
}

export interface Table {
  /** e.g. "by deployment (top 5; and 2 more)". */
  readonly title?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Rows left out before the message was built ("… and N more"). */
  readonly more: number;
  /** Label of what `more` counts, e.g. "deployments". */
  readonly moreLabel?: string;
  /** Said instead of the rows when there are none, e.g. "no series had data". */
  readonly empty?: string;
  /**
   * A data table (log rows, quota, activity, doctor) rather than a figure's breakdown: platforms
   * that have a table element use it (Slack `table` block, Adaptive Card `Table`). Per column:
   * right-aligned numbers, left-aligned text.
   */
  readonly data?: { readonly align: readonly ("left" | "right")[] };
}

/** The whole result as a file where the platform takes files (Slack: a CSV upload in the thread; elsewhere the table is shown). */
export interface Attachment {
  readonly filename: string;
  readonly title: string;
  readonly csv: string;
  readonly rows: number;
}

/**
 * A picture of an answer or report: lines over time (one per series, at most CHART_MAX_SERIES
 * with the rest summed into "other") or bars of a breakdown. Platforms draw it natively (Teams
 * Chart.*, Slack data_visualization) or as a PNG (src/charts/); text keeps the sparkline.
 */
export interface Chart {
  readonly kind: "line" | "bar";
  /** e.g. "Time to response (successful calls) by deployment". */
  readonly title: string;
  readonly unit: MetricUnit;
  /** The window and the query: "Sun 29 Nov 09:00–10:00 UTC · AzureOpenAITimeToResponse · Average · PT1M". */
  readonly caption: string;
  /** The zone the time axis is labelled in. */
  readonly zone: string;
  /** line: one entry per series, points over time (null = no data: a gap, never 0). */
  readonly series: readonly { readonly label: string; readonly points: readonly Point[] }[];
  /** bar: one bar per category. */
  readonly bars: readonly { readonly label: string; readonly value: number | null }[];
}

export const CHART_MAX_SERIES = 8;

/** A link to continue elsewhere (the same view in the Azure portal). */
export interface Link {
  readonly label: string;
  readonly url: string;
}

/** A headline figure: the number, how it moved, against what, and where it came from. */
export interface Figure {
  /** What the figure means, e.g. "Time to response [aoai-prod]". */
  readonly label: string;
  /** null is "no data", never 0. */
  readonly value: number | null;
  readonly unit: MetricUnit;
  /** The value as people read it ("1,290 ms", "no data"). */
  readonly text: string;
  /** "▲ +3.0 %", absent when there is nothing to compare. */
  readonly change?: string;
  /** The comparison in words: "vs previous 1h (1,250 ms)", "no data in the previous window", … */
  readonly baseline: string;
  readonly series?: Series;
  /** The split of this figure, when asked. */
  readonly breakdown?: Table;
  /** Provenance: resource, metric, aggregation, grain, timespan, filter, method. */
  readonly source: string;
  /** Azure reported a failure for this figure: shown instead of a value. */
  readonly error?: string;
}

export interface Action {
  readonly label: string;
  readonly followUp: FollowUp;
}

export interface MessageWindow {
  readonly start: string;
  readonly end: string;
  /** The window the change was computed against. */
  readonly compared?: { readonly start: string; readonly end: string };
  /** The window in the configured zone, for readers whose own zone is unknown (text). */
  readonly local?: string;
}

/** What a message answered and how, for the audit log; renderers never show it. */
export interface MessageTrace {
  /** "answered", "help", or the error's code ("not_understood", "access_denied", "internal", …). */
  readonly outcome: string;
  /** The Azure requests planned for it, one short line each (compose-trace.ts). */
  readonly requests: readonly string[];
  /** The rule (or default policy) that decided a denial. */
  readonly decidedBy?: string;
}

export interface Message {
  readonly kind: "answer" | "help" | "error" | "notice" | "report" | "working";
  readonly tone: Tone;
  /** Header line. */
  readonly title: string;
  /** One plain line for notifications, fallbacks and logs. */
  readonly summary: string;
  readonly lines: readonly string[];
  readonly figures: readonly Figure[];
  readonly tables: readonly Table[];
  readonly notes: readonly string[];
  readonly window?: MessageWindow;
  readonly footnotes: readonly string[];
  /** Pictures of the answer (metric series, breakdowns, the daily summary's key figures). */
  readonly charts?: readonly Chart[];
  /** "Open in Azure portal": the same metric view or log query. */
  readonly links?: readonly Link[];
  /** A file to attach (raw `kql` results in full). */
  readonly attachment?: Attachment;
  /** Buttons under the message (follow-ups, clickable examples). */
  readonly actions: readonly Action[];
  /** What the buttons are, shown just above them, e.g. "Try one of these:". */
  readonly actionsTitle?: string;
  /** Quoted to operators for internal failures. */
  readonly reference?: string;
  /** The zone text shows ⟦ISO⟧ times in (a report's schedule zone); chat platforms show each reader's own. */
  readonly zone?: string;
  /** Outcome and planned requests, for the audit log (absent on messages no Reply made: the audit reads their kind). */
  readonly trace?: MessageTrace;
}

/** A message with every list empty: builders fill in what they have. */
export function message(kind: Message["kind"], tone: Tone, title: string, parts: Partial<Omit<Message, "kind" | "tone" | "title">> = {}): Message {
  return { kind, tone, title, summary: parts.summary ?? title, lines: [], figures: [], tables: [], notes: [], footnotes: [], actions: [], ...parts };
}

export const LOCAL_TIME = /⟦([^⟧]+)⟧/g;

export function localTime(iso: string): string {
  return `⟦${iso}⟧`;
}

/** The header as every platform shows it: answers and help need no icon, the rest say their tone first. */
export function heading(m: Message): string {
  return iconed(m, m.title);
}

/** The one line for notifications and fallbacks, with the same icon as the header. */
export function gist(m: Message): string {
  return iconed(m, m.summary);
}

function iconed(m: Message, text: string): string {
  return m.kind === "answer" || m.kind === "help" ? text : `${TONE_ICON[m.tone]} ${text}`;
}

/** The window line under an answer, with ⟦ISO⟧ times each platform shows in the reader's zone. */
export function windowLine(w: MessageWindow): string {
  const compared = w.compared ? ` · compared with ${w.compared.start}/${w.compared.end}` : "";
  return `Window: ${localTime(w.start)} – ${localTime(w.end)} (your time) · ${w.start}/${w.end} UTC${compared}`;
}

/** What a renderer says when a platform's limits made it leave something out. */
export const LEFT_OUT = {
  rows: (n: number, label?: string): string => `… and ${n} more${label ? ` ${label}` : ""}`,
  figures: (n: number): string => `… and ${n} more figures (ask about fewer signals at once)`,
  allRows: (n: number, label: string): string => `${n} ${label} rows left out to keep the card small`,
} as const;
