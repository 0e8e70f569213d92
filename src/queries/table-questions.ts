// Questions whose answer is a table rather than metric figures: resource logs (Log Analytics KQL
// templates and raw `kql`), the activity log ("what changed?") and quota ("how close to the limit?").
// The bot's parser produces them; the query layer plans and answers them (logs/, activity-log.ts,
// quota.ts). They share the metric questions' window grammar (WindowSpec).
import type { WindowSpec } from "./question.ts";

/** The vetted KQL templates (logs/log-templates.ts): what each one answers is fixed; only bound values vary. */
export type LogTemplateId =
  | "percentiles"
  | "errors-by-deployment"
  | "error-codes"
  | "failed-requests"
  | "callers"
  | "sample"
  | "azure-metrics"
  | "absence";

export interface LogQuestion {
  readonly kind: "logs";
  readonly template: LogTemplateId;
  /** Short title, e.g. "p95 latency from the request logs". */
  readonly topic: string;
  readonly window: WindowSpec;
  /** Deployments asked about (canonical names); empty: every deployment. */
  readonly deployments: readonly string[];
  /** percentiles: which (50, 95, 99, 99.9). */
  readonly percentiles?: readonly number[];
  /** percentiles: "Streaming" / "Non-Streaming" when asked. */
  readonly streamType?: string;
  /** failed-requests / callers / error-codes: how many rows ("last 10 failed requests"). */
  readonly limit?: number;
  /** errors-by-deployment / failed-requests: an exact status ("429s") or a class prefix ("5"). */
  readonly status?: { readonly kind: "exact"; readonly code: string } | { readonly kind: "class"; readonly prefix: string };
  /** absence: how long without RequestResponse rows counts as silent. */
  readonly silentMinutes?: number;
  readonly notes: readonly string[];
}

/** Raw KQL typed by an allowed user (`kql <query>`): shown as typed, run read-only with a row limit. */
export interface RawKqlQuestion {
  readonly kind: "kql";
  readonly topic: string;
  readonly query: string;
  readonly window: WindowSpec;
  readonly notes: readonly string[];
}

export interface ActivityQuestion {
  readonly kind: "activity";
  readonly topic: string;
  readonly window: WindowSpec;
  /** "who changed gpt-4o": only events on these deployments; empty: the whole resource. */
  readonly deployments: readonly string[];
  readonly notes: readonly string[];
}

export interface QuotaQuestion {
  readonly kind: "quota";
  readonly topic: string;
  /** The window the peaks are read over (default: the last 24 hours). */
  readonly window: WindowSpec;
  readonly deployments: readonly string[];
  readonly notes: readonly string[];
}

export type TableQuestion = LogQuestion | RawKqlQuestion | ActivityQuestion | QuotaQuestion;
