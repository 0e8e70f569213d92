// Questions an on-call engineer types during the demo's incidents, and what each answer must be:
// which figure (label), computed how from the raw per-minute data (incident-truth.ts), over which
// window and against which baseline. Data, not code: a new phrasing is a row.
import type { Codes } from "./incident-truth.ts";

/** The moments questions are asked at (UTC). */
export const MOMENTS = {
  /** Tuesday, gpt-4o-mini throttled since 13:30 (until 14:40). */
  incident: "2026-12-01T14:30:00Z",
  /** gpt-4o slow since 10:00 (until 10:20). */
  spike: "2026-12-01T10:10:00Z",
  /** A quiet night. */
  quiet: "2026-12-01T04:00:00Z",
  /** Monday afternoon: "this week" is today so far. */
  monday: "2026-11-30T16:00:00Z",
} as const;
export type Moment = keyof typeof MOMENTS;

/** Windows the test resolves itself, in UTC: rolling ones in minutes, or a calendar name. */
export type WindowName = "15m" | "30m" | "1h" | "3h" | "6h" | "24h" | "today" | "yesterday" | "week" | "since09" | "since13" | "13:30-14:00" | "yesterday 13:30-14:30"
  // weekday and part-of-day windows
  | "monday" | "monday morning" | "this morning" | "this afternoon" | "yesterday afternoon" | "overnight";

export type Figure =
  | { readonly kind: "calls"; readonly codes: Codes }
  /** codes ÷ all calls × 100 */
  | { readonly kind: "share"; readonly of: Codes }
  /** Azure's: (all − 5xx) ÷ all × 100 */
  | { readonly kind: "availability" }
  /** Σ(avg × count) ÷ Σcount of these codes */
  | { readonly kind: "latency"; readonly codes: Codes }
  /** calls (rpm) or tokens (tpm) per covered minute; the largest minute; the largest per-minute 2xx average */
  | { readonly kind: "rpm" | "rpm-peak" | "tpm" | "tpm-peak" | "slowest" | "tokens" };

export interface Want {
  readonly label: string;
  readonly figure: Figure;
  /** The deployments the figure is over: all four unless named. */
  readonly deployments?: readonly string[];
  /** One of several compared items. */
  readonly item?: string;
  readonly split?: "ModelDeploymentName" | "StatusCode";
  /** "top N": only the N largest rows are shown. */
  readonly top?: number;
}

export type NoteWant = "availability counts 429s" | "latency over all calls" | `alias ${string}`;

export type Category =
  | "success rate vs availability"
  | "latency of successful calls"
  | "status filters"
  | "error and throttle rates"
  | "per-minute rates"
  | "slowest minute"
  | "A vs B"
  | "vs yesterday / last week"
  | "calendar windows"
  | "rolling windows"
  | "splits"
  | "freshness"
  | "refusals"
  | "latency spike"
  | "quiet night"
  | "verdict"
  | "weekday and part-of-day windows"
  | "deployment aliases"
  | "can't answer yet"
  | "follow-ups"
  | "table answers";

export interface FigureRow {
  readonly q: string;
  readonly category: Category;
  readonly at?: Moment;
  readonly window?: WindowName;
  /** Asked baseline ("vs yesterday"); otherwise the window's kind decides. */
  readonly vs?: "day-before" | "week-before";
  readonly expect: readonly Want[];
  readonly notes?: readonly NoteWant[];
  /** Asked in the same thread right after this question: a follow-up that changes it. */
  readonly after?: string;
  /** A health question: its verdict line is judged here from the same raw data (verdict thresholds: the defaults). */
  readonly verdict?: { readonly focus?: string; readonly names?: readonly string[] };
}

export interface RefusalRow {
  readonly q: string;
  readonly category: Category;
  readonly at?: Moment;
  readonly refuse: string;
}

/** What a table answer must be: quota, or the request logs' template that answers it (its figures: table-truth.test.ts). */
export type TableWant = "quota" | "failed-requests" | "percentiles";

export interface TableRow {
  readonly q: string;
  readonly category: Category;
  readonly at?: Moment;
  readonly table: TableWant;
  /** The deployments the table is about: every one unless named. */
  readonly deployments?: readonly string[];
}

export type Row = FigureRow | RefusalRow | TableRow;

const MINI = ["gpt-4o-mini"];
const G4O = ["gpt-4o"];
const EMB = ["text-embedding-3-large"];
const PTU = ["gpt-4o-ptu"];

const SUCCESS = "Success rate";
const LATENCY = "Time to response (successful calls)";
const success = (deployments?: readonly string[]): Want => ({ label: SUCCESS, figure: { kind: "share", of: "2xx" }, ...(deployments ? { deployments } : {}) });
const availability = (deployments?: readonly string[]): Want => ({ label: "Availability", figure: { kind: "availability" }, ...(deployments ? { deployments } : {}) });
const latency = (deployments?: readonly string[], item?: string): Want => ({
  label: item === undefined ? LATENCY : `${LATENCY} — ${item}`,
  figure: { kind: "latency", codes: "2xx" },
  ...(deployments ? { deployments } : {}),
  ...(item === undefined ? {} : { item }),
});
const count = (label: string, codes: Codes, deployments?: readonly string[]): Want => ({ label, figure: { kind: "calls", codes }, ...(deployments ? { deployments } : {}) });
const share = (label: string, of: Codes, deployments?: readonly string[]): Want => ({ label, figure: { kind: "share", of }, ...(deployments ? { deployments } : {}) });
const perMinute = (kind: "rpm" | "rpm-peak" | "tpm" | "tpm-peak", deployments?: readonly string[]): Want => ({
  label: { rpm: "Requests per minute (average)", "rpm-peak": "Peak requests per minute", tpm: "Tokens per minute (average)", "tpm-peak": "Peak tokens per minute" }[kind],
  figure: { kind },
  ...(deployments ? { deployments } : {}),
});
const slowest = (deployments?: readonly string[]): Want => ({ label: "Slowest minute of time to response (successful calls)", figure: { kind: "slowest" }, ...(deployments ? { deployments } : {}) });
const split = (w: Want, by: "ModelDeploymentName" | "StatusCode"): Want => ({ ...w, split: by });

const ERRORS = "Errors (4xx + 5xx)";
const THROTTLED = "Rate-limited calls (429)";
const REQUESTS = "Requests";
/** A health overview: every figure a verdict is judged on, by deployment. */
const HEALTH: readonly Want[] = [
  count(REQUESTS, "all"),
  success(),
  share("Throttle rate", "429"),
  share("Error rate", "4xx+5xx"),
  latency(),
  count(ERRORS, "4xx+5xx"),
  count("Server errors (5xx)", "5xx"),
  count(THROTTLED, "429"),
].map((w) => split(w, "ModelDeploymentName"));

export const ROWS: readonly Row[] = [
  // Success rate is 2xx ÷ all and falls during the throttling; availability is Azure's and says it counts 429s.
  { q: "success rate gpt-4o-mini last hour", category: "success rate vs availability", expect: [success(MINI)] },
  { q: "whats the success rate for gpt-4o-mini?", category: "success rate vs availability", expect: [success(MINI)] },
  { q: "gpt-4o-mini success rate", category: "success rate vs availability", expect: [success(MINI)] },
  { q: "Success Rate deployment=gpt-4o-mini", category: "success rate vs availability", expect: [success(MINI)] },
  { q: "SUCCESS RATE gpt-4o-mini past hour", category: "success rate vs availability", expect: [success(MINI)] },
  { q: "success rate", category: "success rate vs availability", expect: [success()] },
  { q: "success rate today", category: "success rate vs availability", window: "today", expect: [success()] },
  { q: "success rate gpt-4o-mini this week", category: "success rate vs availability", window: "week", expect: [success(MINI)] },
  { q: "percent successful for gpt-4o last 30 min", category: "success rate vs availability", window: "30m", expect: [success(G4O)] },
  // typed slips in a phrase, or in its "rate", still ask for the rate, never the count of 2xx
  { q: "success rte gpt-4o-mini", category: "success rate vs availability", expect: [success(MINI)] },
  { q: "succes rate", category: "success rate vs availability", expect: [success()] },
  { q: "sucess rate", category: "success rate vs availability", expect: [success()] },
  { q: "sucess rate gpt-4o", category: "success rate vs availability", expect: [success(G4O)] },
  { q: "% successful", category: "success rate vs availability", expect: [success()] },
  { q: "availability gpt-4o-mini", category: "success rate vs availability", expect: [availability(MINI)], notes: ["availability counts 429s"] },
  { q: "availability of gpt-4o-mini last hour", category: "success rate vs availability", expect: [availability(MINI)], notes: ["availability counts 429s"] },
  { q: "uptime gpt-4o-mini", category: "success rate vs availability", expect: [availability(MINI)], notes: ["availability counts 429s"] },
  { q: "sla for gpt-4o-mini today", category: "success rate vs availability", window: "today", expect: [availability(MINI)], notes: ["availability counts 429s"] },
  { q: "availability", category: "success rate vs availability", expect: [availability()], notes: ["availability counts 429s"] },
  { q: "success rate and availability gpt-4o-mini", category: "success rate vs availability", expect: [availability(MINI), success(MINI)], notes: ["availability counts 429s"] },

  // Latency is of successful calls; the all-status figure is said with why it differs.
  { q: "latency gpt-4o-mini last hour", category: "latency of successful calls", expect: [latency(MINI)], notes: ["latency over all calls"] },
  { q: "avg latency gpt-4o-mini", category: "latency of successful calls", expect: [latency(MINI)], notes: ["latency over all calls"] },
  { q: "how slow is gpt-4o-mini", category: "latency of successful calls", expect: [latency(MINI)], notes: ["latency over all calls"] },
  { q: "gpt-4o-mini latency past hour?", category: "latency of successful calls", expect: [latency(MINI)], notes: ["latency over all calls"] },
  { q: "response time gpt-4o-mini last 30 minutes", category: "latency of successful calls", window: "30m", expect: [latency(MINI)], notes: ["latency over all calls"] },
  { q: "latency", category: "latency of successful calls", expect: [latency()], notes: ["latency over all calls"] },
  { q: "lantency for gpt-4o-mini", category: "latency of successful calls", expect: [latency(MINI)], notes: ["latency over all calls"] },
  { q: "time to response deployment=gpt-4o-mini today", category: "latency of successful calls", window: "today", expect: [latency(MINI)] },
  { q: "latency for text-embedding-3-large", category: "latency of successful calls", expect: [latency(EMB)] },
  { q: "latency gpt-4o-ptu last 3 hours", category: "latency of successful calls", window: "3h", expect: [latency(PTU)], notes: ["latency over all calls"] },
  { q: "average response time of gpt-4o", category: "latency of successful calls", expect: [latency(G4O)] },

  // Any status or class filter composes with the signal, with its label and its figure.
  { q: "errors status=500 today", category: "status filters", window: "today", expect: [count("Errors (500)", "500")] },
  { q: "errors status=429 today", category: "status filters", window: "today", expect: [count("Errors (429)", "429")] },
  { q: "errors status=5xx today", category: "status filters", window: "today", expect: [count("Errors (5xx)", "5xx")] },
  { q: "errors status=503 today", category: "status filters", window: "today", expect: [count("Errors (503)", "503")] },
  { q: "errors status=4xx today", category: "status filters", window: "today", expect: [count("Errors (4xx)", "4xx")] },
  { q: "errors with status code 500 today", category: "status filters", window: "today", expect: [count("Errors (500)", "500")] },
  { q: "errors status=500 gpt-4o-mini last hour", category: "status filters", expect: [count("Errors (500)", "500", MINI)] },
  { q: "requests status=503 today", category: "status filters", window: "today", expect: [count("Requests (503)", "503")] },
  { q: "requests status=429 for gpt-4o-mini", category: "status filters", expect: [count("Requests (429)", "429", MINI)] },
  { q: "calls status=200 gpt-4o-mini", category: "status filters", expect: [count("Requests (200)", "200", MINI)] },
  { q: "how many errors today", category: "status filters", window: "today", expect: [count(ERRORS, "4xx+5xx")] },
  { q: "errors", category: "status filters", expect: [count(ERRORS, "4xx+5xx")] },
  { q: "server errors today", category: "status filters", window: "today", expect: [count("Server errors (5xx)", "5xx")] },
  { q: "5xx errors today", category: "status filters", window: "today", expect: [count("Server errors (5xx)", "5xx")] },
  { q: "client errors gpt-4o-mini", category: "status filters", expect: [count("Client errors (4xx)", "4xx", MINI)] },
  { q: "429s", category: "status filters", expect: [count(THROTTLED, "429")] },
  { q: "gpt-4o-mini 429s???", category: "status filters", expect: [count(THROTTLED, "429", MINI)] },
  { q: "ERRORS TODAY", category: "status filters", window: "today", expect: [count(ERRORS, "4xx+5xx")] },
  { q: "how many 429s in the last hour", category: "status filters", expect: [count(THROTTLED, "429")] },
  { q: "429s for gpt-4o-mini today", category: "status filters", window: "today", expect: [count(THROTTLED, "429", MINI)] },
  { q: "throttled requests gpt-4o-mini", category: "status filters", expect: [count(THROTTLED, "429", MINI)] },
  { q: "rate limited calls today", category: "status filters", window: "today", expect: [count(THROTTLED, "429")] },
  { q: "is gpt-4o-mini getting throttled", category: "status filters", expect: [count(THROTTLED, "429", MINI)] },
  { q: "successful calls gpt-4o-mini last hour", category: "status filters", expect: [count("Successful calls (2xx)", "2xx", MINI)] },
  // a code beside "errors"/"calls"/"requests"/"responses", or as a plural, is that exact code, not the class
  { q: "how many 500 errors today?", category: "status filters", window: "today", expect: [count("Errors (500)", "500")] },
  { q: "errors 500 today", category: "status filters", window: "today", expect: [count("Errors (500)", "500")] },
  { q: "503 responses today", category: "status filters", window: "today", expect: [count("Requests (503)", "503")] },
  { q: "429 responses gpt-4o-mini", category: "status filters", expect: [count(THROTTLED, "429", MINI)] },
  { q: "500s today", category: "status filters", window: "today", expect: [count("Requests (500)", "500")] },
  { q: "503s today", category: "status filters", window: "today", expect: [count("Requests (503)", "503")] },
  { q: "400s today", category: "status filters", window: "today", expect: [count("Requests (400)", "400")] },
  { q: "latency status=429 gpt-4o-mini", category: "status filters", expect: [{ label: "Time to response (429)", figure: { kind: "latency", codes: "429" }, deployments: MINI }] },
  { q: "response time status=500 today", category: "status filters", window: "today", expect: [{ label: "Time to response (500)", figure: { kind: "latency", codes: "500" } }] },
  { q: "429s status=500", category: "refusals", refuse: "conflicting_status" },
  { q: "throttled calls status=200", category: "refusals", refuse: "conflicting_status" },

  // Error and throttle rates are percentages with the counts behind them.
  { q: "error rate", category: "error and throttle rates", expect: [share("Error rate", "4xx+5xx")] },
  { q: "error rate gpt-4o-mini", category: "error and throttle rates", expect: [share("Error rate", "4xx+5xx", MINI)] },
  { q: "error rate today", category: "error and throttle rates", window: "today", expect: [share("Error rate", "4xx+5xx")] },
  { q: "failure rate last 24h", category: "error and throttle rates", window: "24h", expect: [share("Error rate", "4xx+5xx")] },
  { q: "what's the error rate on gpt-4o?", category: "error and throttle rates", expect: [share("Error rate", "4xx+5xx", G4O)] },
  { q: "throttle rate gpt-4o-mini", category: "error and throttle rates", expect: [share("Throttle rate", "429", MINI)] },
  { q: "throttle rate of gpt-4o-mini", category: "error and throttle rates", expect: [share("Throttle rate", "429", MINI)] },
  { q: "throttling rate gpt-4o-mini today", category: "error and throttle rates", window: "today", expect: [share("Throttle rate", "429", MINI)] },
  { q: "429 rate last 15 minutes", category: "error and throttle rates", window: "15m", expect: [share("Throttle rate", "429")] },
  { q: "percent throttled gpt-4o-mini since 1pm", category: "error and throttle rates", window: "since13", expect: [share("Throttle rate", "429", MINI)] },
  { q: "error rate last 15m gpt-4o-mini", category: "error and throttle rates", window: "15m", expect: [share("Error rate", "4xx+5xx", MINI)] },
  { q: "throttle rate gpt-4o", category: "error and throttle rates", expect: [share("Throttle rate", "429", G4O)] },
  // a share word ("rate" typed or not, "%", "percent", "share", "fraction") beside a count asks for the rate
  { q: "throtle rate gpt-4o-mini", category: "error and throttle rates", expect: [share("Throttle rate", "429", MINI)] },
  { q: "% throttled gpt-4o-mini", category: "error and throttle rates", expect: [share("Throttle rate", "429", MINI)] },
  { q: "percent throttled", category: "error and throttle rates", expect: [share("Throttle rate", "429")] },
  { q: "share of 429s", category: "error and throttle rates", expect: [share("Throttle rate", "429")] },
  { q: "what fraction of calls were throttled", category: "error and throttle rates", expect: [share("Throttle rate", "429")] },
  { q: "% errors", category: "error and throttle rates", expect: [share("Error rate", "4xx+5xx")] },

  // Per-minute rates: average and peak of the PT1M points.
  { q: "requests per minute", category: "per-minute rates", expect: [perMinute("rpm"), perMinute("rpm-peak")] },
  { q: "rpm", category: "per-minute rates", expect: [perMinute("rpm"), perMinute("rpm-peak")] },
  { q: "requests per minute gpt-4o-mini", category: "per-minute rates", expect: [perMinute("rpm", MINI), perMinute("rpm-peak", MINI)] },
  { q: "RPM for gpt-4o today", category: "per-minute rates", window: "today", expect: [perMinute("rpm", G4O), perMinute("rpm-peak", G4O)] },
  { q: "peak rpm today", category: "per-minute rates", window: "today", expect: [perMinute("rpm-peak")] },
  { q: "max requests per minute", category: "per-minute rates", expect: [perMinute("rpm-peak")] },
  { q: "busiest minute gpt-4o-mini last 3h", category: "per-minute rates", window: "3h", expect: [perMinute("rpm-peak", MINI)] },
  { q: "tpm", category: "per-minute rates", expect: [perMinute("tpm"), perMinute("tpm-peak")] },
  { q: "tokens per minute gpt-4o", category: "per-minute rates", expect: [perMinute("tpm", G4O), perMinute("tpm-peak", G4O)] },
  { q: "peak tokens per minute", category: "per-minute rates", expect: [perMinute("tpm-peak")] },
  // "per min", "/min": per-minute figures, never hourly totals; "peak"/"max" with them is the peak
  { q: "requests per min", category: "per-minute rates", expect: [perMinute("rpm"), perMinute("rpm-peak")] },
  { q: "req/min gpt-4o-mini", category: "per-minute rates", expect: [perMinute("rpm", MINI), perMinute("rpm-peak", MINI)] },
  { q: "peak req/min today", category: "per-minute rates", window: "today", expect: [perMinute("rpm-peak")] },
  { q: "tokens/min", category: "per-minute rates", expect: [perMinute("tpm"), perMinute("tpm-peak")] },
  { q: "tokens per min gpt-4o", category: "per-minute rates", expect: [perMinute("tpm", G4O), perMinute("tpm-peak", G4O)] },
  { q: "max tokens per min", category: "per-minute rates", expect: [perMinute("tpm-peak")] },
  { q: "peak tpm today", category: "per-minute rates", window: "today", expect: [perMinute("tpm-peak")] },
  { q: "max tpm gpt-4o-ptu last 6 hours", category: "per-minute rates", window: "6h", expect: [perMinute("tpm-peak", PTU)] },

  // The slowest minute is the largest per-minute average of successful calls.
  { q: "slowest minute", category: "slowest minute", expect: [slowest()] },
  { q: "slowest minute gpt-4o today", category: "slowest minute", window: "today", expect: [slowest(G4O)] },
  { q: "worst minute gpt-4o-mini", category: "slowest minute", expect: [slowest(MINI)] },
  { q: "peak latency last 6h", category: "slowest minute", window: "6h", expect: [slowest()] },
  { q: "latency peak for gpt-4o-ptu today", category: "slowest minute", window: "today", expect: [slowest(PTU)] },

  // A vs B: one answer per item.
  { q: "compare gpt-4o and gpt-4o-mini latency", category: "A vs B", expect: [latency(MINI, "gpt-4o-mini"), latency(G4O, "gpt-4o")], notes: ["latency over all calls"] },
  { q: "gpt-4o vs gpt-4o-mini latency", category: "A vs B", expect: [latency(MINI, "gpt-4o-mini"), latency(G4O, "gpt-4o")], notes: ["latency over all calls"] },
  { q: "latency gpt-4o versus gpt-4o-ptu today", category: "A vs B", window: "today", expect: [latency(G4O, "gpt-4o"), latency(PTU, "gpt-4o-ptu")] },
  { q: "compare success rate gpt-4o and gpt-4o-mini", category: "A vs B", expect: [{ ...success(MINI), label: `${SUCCESS} — gpt-4o-mini`, item: "gpt-4o-mini" }, { ...success(G4O), label: `${SUCCESS} — gpt-4o`, item: "gpt-4o" }] },
  { q: "429s gpt-4o-mini vs gpt-4o", category: "A vs B", expect: [{ ...count(THROTTLED, "429", MINI), label: `${THROTTLED} — gpt-4o-mini`, item: "gpt-4o-mini" }, { ...count(THROTTLED, "429", G4O), label: `${THROTTLED} — gpt-4o`, item: "gpt-4o" }] },
  { q: "compare requests for gpt-4o and text-embedding-3-large since 9am", category: "A vs B", window: "since09", expect: [{ ...count(REQUESTS, "all", G4O), label: `${REQUESTS} — gpt-4o`, item: "gpt-4o" }, { ...count(REQUESTS, "all", EMB), label: `${REQUESTS} — text-embedding-3-large`, item: "text-embedding-3-large" }] },

  { q: "compare error rate gpt-4o and gpt-4o-mini", category: "A vs B", expect: [{ ...share("Error rate — gpt-4o-mini", "4xx+5xx", MINI), item: "gpt-4o-mini" }, { ...share("Error rate — gpt-4o", "4xx+5xx", G4O), item: "gpt-4o" }] },
  {
    q: "compare rpm gpt-4o and gpt-4o-mini",
    category: "A vs B",
    expect: [
      { ...perMinute("rpm", MINI), label: "Requests per minute (average) — gpt-4o-mini", item: "gpt-4o-mini" },
      { ...perMinute("rpm-peak", MINI), label: "Peak requests per minute — gpt-4o-mini", item: "gpt-4o-mini" },
      { ...perMinute("rpm", G4O), label: "Requests per minute (average) — gpt-4o", item: "gpt-4o" },
      { ...perMinute("rpm-peak", G4O), label: "Peak requests per minute — gpt-4o", item: "gpt-4o" },
    ],
  },
  { q: "compare gpt-4o-mini and gpt-4o-ptu 429s today", category: "A vs B", window: "today", expect: [{ ...count(`${THROTTLED} — gpt-4o-mini`, "429", MINI), item: "gpt-4o-mini" }, { ...count(`${THROTTLED} — gpt-4o-ptu`, "429", PTU), item: "gpt-4o-ptu" }] },

  // vs yesterday / last week: the same span shifted.
  { q: "gpt-4o latency vs yesterday", category: "vs yesterday / last week", vs: "day-before", expect: [latency(G4O)] },
  { q: "is gpt-4o slower than yesterday?", category: "vs yesterday / last week", vs: "day-before", expect: [latency(G4O)] },
  { q: "gpt-4o-mini latency compared to yesterday", category: "vs yesterday / last week", vs: "day-before", expect: [latency(MINI)], notes: ["latency over all calls"] },
  { q: "requests vs same time yesterday", category: "vs yesterday / last week", vs: "day-before", expect: [count(REQUESTS, "all")] },
  { q: "429s gpt-4o-mini vs yesterday", category: "vs yesterday / last week", vs: "day-before", expect: [count(THROTTLED, "429", MINI)] },
  { q: "success rate gpt-4o-mini vs last week", category: "vs yesterday / last week", vs: "week-before", expect: [success(MINI)] },
  { q: "tokens today vs last week", category: "vs yesterday / last week", window: "today", vs: "week-before", expect: [{ label: "Tokens (prompt + completion)", figure: { kind: "tokens" } }] },
  { q: "errors status=429 vs yesterday", category: "vs yesterday / last week", vs: "day-before", expect: [count("Errors (429)", "429")] },
  { q: "error rate vs a week ago", category: "vs yesterday / last week", vs: "week-before", expect: [share("Error rate", "4xx+5xx")] },

  // Calendar windows: the same span one period earlier.
  { q: "requests today", category: "calendar windows", window: "today", expect: [count(REQUESTS, "all")] },
  { q: "requests this week", category: "calendar windows", window: "week", expect: [count(REQUESTS, "all")] },
  { q: "requests since 9am", category: "calendar windows", window: "since09", expect: [count(REQUESTS, "all")] },
  { q: "how many calls since 09:00", category: "calendar windows", window: "since09", expect: [count(REQUESTS, "all")] },
  { q: "tokens this week", category: "calendar windows", window: "week", expect: [{ label: "Tokens (prompt + completion)", figure: { kind: "tokens" } }] },
  { q: "errors this week for gpt-4o-mini", category: "calendar windows", window: "week", expect: [count(ERRORS, "4xx+5xx", MINI)] },
  { q: "latency so far today", category: "calendar windows", window: "today", expect: [latency()] },
  { q: "requests yesterday", category: "calendar windows", window: "yesterday", expect: [count(REQUESTS, "all")] },
  { q: "success rate yesterday", category: "calendar windows", window: "yesterday", expect: [success()] },
  { q: "success rate between 13:30 and 14:00", category: "calendar windows", window: "13:30-14:00", expect: [success()] },
  { q: "requests yesterday between 13:30 and 14:30", category: "calendar windows", window: "yesterday 13:30-14:30", expect: [count(REQUESTS, "all")] },
  { q: "traffic this week", category: "calendar windows", at: "monday", window: "week", expect: [count(REQUESTS, "all")] },

  // Rolling windows: the equal window before.
  { q: "requests last hour", category: "rolling windows", expect: [count(REQUESTS, "all")] },
  { q: "requests last 24h", category: "rolling windows", window: "24h", expect: [count(REQUESTS, "all")] },
  { q: "requests for gpt-4o last 15 min", category: "rolling windows", window: "15m", expect: [count(REQUESTS, "all", G4O)] },
  { q: "tokens gpt-4o last hour", category: "rolling windows", expect: [{ label: "Tokens (prompt + completion)", figure: { kind: "tokens" }, deployments: G4O }] },
  { q: "errors gpt-4o-ptu past 24 hours", category: "rolling windows", window: "24h", expect: [count(ERRORS, "4xx+5xx", PTU)] },
  { q: "errors in the past 6 hours", category: "rolling windows", window: "6h", expect: [count(ERRORS, "4xx+5xx")] },
  { q: "success rate past 3 hours", category: "rolling windows", window: "3h", expect: [success()] },

  // Splits add up to the total, each row its own figure.
  { q: "requests by deployment today", category: "splits", window: "today", expect: [split(count(REQUESTS, "all"), "ModelDeploymentName")] },
  { q: "errors by status code today", category: "splits", window: "today", expect: [split(count(ERRORS, "4xx+5xx"), "StatusCode")] },
  { q: "requests by status code last hour", category: "splits", expect: [split(count(REQUESTS, "all"), "StatusCode")] },
  { q: "429s per deployment", category: "splits", expect: [split(count(THROTTLED, "429"), "ModelDeploymentName")] },
  { q: "latency by deployment", category: "splits", expect: [split(latency(), "ModelDeploymentName")], notes: ["latency over all calls"] },
  { q: "tokens by deployment today", category: "splits", window: "today", expect: [split({ label: "Tokens (prompt + completion)", figure: { kind: "tokens" } }, "ModelDeploymentName")] },
  { q: "errors per deployment last 24h", category: "splits", window: "24h", expect: [split(count(ERRORS, "4xx+5xx"), "ModelDeploymentName")] },
  { q: "gpt-4o-mini requests by status code", category: "splits", expect: [split(count(REQUESTS, "all", MINI), "StatusCode")] },
  { q: "success rate by deployment", category: "splits", expect: [split(success(), "ModelDeploymentName")] },
  { q: "error rate by deployment today", category: "splits", window: "today", expect: [split(share("Error rate", "4xx+5xx"), "ModelDeploymentName")] },
  { q: "throttle rate per deployment", category: "splits", expect: [split(share("Throttle rate", "429"), "ModelDeploymentName")] },
  { q: "availability by deployment", category: "splits", expect: [split(availability(), "ModelDeploymentName")], notes: ["availability counts 429s"] },
  { q: "rpm by deployment", category: "splits", expect: [split(perMinute("rpm"), "ModelDeploymentName"), split(perMinute("rpm-peak"), "ModelDeploymentName")] },
  { q: "slowest minute by deployment", category: "splits", expect: [split(slowest(), "ModelDeploymentName")] },
  { q: "top 2 deployments by 429s", category: "splits", expect: [{ ...split(count(THROTTLED, "429"), "ModelDeploymentName"), top: 2 }] },

  // Freshness: the newest minutes are not in yet; the change is over comparable coverage.
  { q: "requests for gpt-4o last hour", category: "freshness", expect: [count(REQUESTS, "all", G4O)] },
  { q: "requests last 15 minutes", category: "freshness", window: "15m", expect: [count(REQUESTS, "all")] },
  { q: "tokens last 30 min", category: "freshness", window: "30m", expect: [{ label: "Tokens (prompt + completion)", figure: { kind: "tokens" } }] },
  { q: "successful calls last 15m", category: "freshness", window: "15m", expect: [count("Successful calls (2xx)", "2xx")] },
  { q: "tokens for gpt-4o-mini in the last 30 mins", category: "freshness", window: "30m", expect: [{ label: "Tokens (prompt + completion)", figure: { kind: "tokens" }, deployments: MINI }] },
  { q: "how many requests did gpt-4o-mini get since 13:00", category: "freshness", window: "since13", expect: [count(REQUESTS, "all", MINI)] },
  { q: "requests gpt-4o-ptu last 30 minutes", category: "freshness", window: "30m", expect: [count(REQUESTS, "all", PTU)] },

  // 10:10, gpt-4o slow since 10:00.
  { q: "latency gpt-4o last 15 min", category: "latency spike", at: "spike", window: "15m", expect: [latency(G4O)] },
  { q: "is gpt-4o slow?", category: "latency spike", at: "spike", expect: [latency(G4O)] },
  { q: "gpt-4o latency vs yesterday", category: "latency spike", at: "spike", vs: "day-before", expect: [latency(G4O)] },
  { q: "slowest minute gpt-4o", category: "latency spike", at: "spike", expect: [slowest(G4O)] },
  { q: "compare gpt-4o and gpt-4o-ptu latency last 15 minutes", category: "latency spike", at: "spike", window: "15m", expect: [latency(G4O, "gpt-4o"), latency(PTU, "gpt-4o-ptu")], notes: ["latency over all calls"] },
  { q: "latency by deployment last 30m", category: "latency spike", at: "spike", window: "30m", expect: [split(latency(), "ModelDeploymentName")] },
  { q: "success rate gpt-4o-mini", category: "latency spike", at: "spike", expect: [success(MINI)] },

  // 04:00, a quiet night: small figures are still figures.
  { q: "requests last hour", category: "quiet night", at: "quiet", expect: [count(REQUESTS, "all")] },
  { q: "success rate", category: "quiet night", at: "quiet", expect: [success()] },
  { q: "errors last 6 hours", category: "quiet night", at: "quiet", window: "6h", expect: [count(ERRORS, "4xx+5xx")] },
  { q: "latency gpt-4o-mini", category: "quiet night", at: "quiet", expect: [latency(MINI)] },
  { q: "rpm", category: "quiet night", at: "quiet", expect: [perMinute("rpm"), perMinute("rpm-peak")] },
  { q: "throttle rate gpt-4o-mini vs yesterday", category: "quiet night", at: "quiet", vs: "day-before", expect: [share("Throttle rate", "429", MINI)] },
  { q: "requests today", category: "quiet night", at: "quiet", window: "today", expect: [count(REQUESTS, "all")] },

  // A verdict first, naming what is off and by how much.
  { q: "is anything wrong", category: "verdict", expect: HEALTH, notes: ["latency over all calls"], verdict: {} },
  { q: "anything on fire?", category: "verdict", expect: HEALTH, notes: ["latency over all calls"], verdict: {} },
  { q: "how are we doing?", category: "verdict", expect: HEALTH, notes: ["latency over all calls"], verdict: {} },
  { q: "is gpt-4o-mini down?", category: "verdict", expect: HEALTH, notes: ["latency over all calls"], verdict: { focus: "gpt-4o-mini" } },
  { q: "is gpt-4o ok?", category: "verdict", expect: HEALTH, notes: ["latency over all calls"], verdict: { focus: "gpt-4o" } },
  { q: "is anything wrong", category: "verdict", at: "spike", expect: HEALTH, verdict: {} },
  // the spike began ten minutes ago: under the threshold over the hour, far over it in the last minutes
  { q: "is anything wrong?", category: "verdict", at: "spike", expect: HEALTH, verdict: { names: ["gpt-4o"] } },
  { q: "is anything wrong", category: "verdict", at: "quiet", expect: HEALTH, verdict: {} },

  // Weekdays and parts of a day.
  { q: "latency on monday", category: "weekday and part-of-day windows", window: "monday", expect: [latency()] },
  { q: "requests on monday", category: "weekday and part-of-day windows", window: "monday", expect: [count(REQUESTS, "all")] },
  { q: "gpt-4o latency monday morning", category: "weekday and part-of-day windows", window: "monday morning", expect: [latency(G4O)] },
  { q: "errors this morning", category: "weekday and part-of-day windows", window: "this morning", expect: [count(ERRORS, "4xx+5xx")] },
  { q: "429s this afternoon", category: "weekday and part-of-day windows", window: "this afternoon", expect: [count(THROTTLED, "429")] },
  { q: "success rate gpt-4o-mini this afternoon", category: "weekday and part-of-day windows", window: "this afternoon", expect: [success(MINI)] },
  { q: "requests yesterday afternoon", category: "weekday and part-of-day windows", window: "yesterday afternoon", expect: [count(REQUESTS, "all")] },
  { q: "errors overnight", category: "weekday and part-of-day windows", window: "overnight", expect: [count(ERRORS, "4xx+5xx")] },
  { q: "429s last night", category: "weekday and part-of-day windows", window: "overnight", expect: [count(THROTTLED, "429")] },

  // Deployment aliases from what the resource reports.
  { q: "embeddings latency", category: "deployment aliases", expect: [latency(EMB)], notes: ['alias "embeddings" read as text-embedding-3-large'] },
  { q: "success rate of mini", category: "deployment aliases", expect: [success(MINI)], notes: ['alias "mini" read as gpt-4o-mini'] },
  { q: "mini 429s today", category: "deployment aliases", window: "today", expect: [count(THROTTLED, "429", MINI)], notes: ['alias "mini" read as gpt-4o-mini'] },
  { q: "latency for the ptu deployment", category: "deployment aliases", expect: [latency(PTU)], notes: ["latency over all calls", 'alias "the ptu deployment" read as gpt-4o-ptu'] },
  { q: "top deployments by requests", category: "splits", expect: [split(count(REQUESTS, "all"), "ModelDeploymentName")] },

  // Never a silent substitute: what can't be answered yet says so.
  { q: "how much did we spend this week", category: "can't answer yet", refuse: "no_prices" },
  { q: "cost of gpt-4o yesterday", category: "can't answer yet", refuse: "no_prices" },
  { q: "any alerts firing?", category: "can't answer yet", refuse: "cannot_answer_yet" },
  { q: "ptu utilization gpt-4o", category: "can't answer yet", refuse: "not_provisioned" },
  { q: "requests stream=true", category: "can't answer yet", refuse: "unknown_dimension_value" },

  // Quota and the request logs answer with a table of the right kind.
  { q: "how close is gpt-4o to its TPM limit?", category: "table answers", table: "quota", deployments: G4O },
  { q: "what's our quota", category: "table answers", table: "quota" },
  { q: "last failed requests", category: "table answers", table: "failed-requests" },
  { q: "show me the logs for failed requests", category: "table answers", table: "failed-requests" },
  { q: "p99 latency gpt-4o", category: "table answers", table: "percentiles", deployments: G4O },

  // Follow-ups change the previous question in the same thread.
  { q: "what about yesterday?", after: "tokens gpt-4o last hour", category: "follow-ups", window: "yesterday", expect: [{ label: "Tokens (prompt + completion)", figure: { kind: "tokens" }, deployments: G4O }] },
  { q: "and for gpt-4o-mini?", after: "latency gpt-4o last hour", category: "follow-ups", expect: [latency(MINI)], notes: ["latency over all calls"] },
  { q: "and for gpt-4o-mini", after: "429s today", category: "follow-ups", window: "today", expect: [count(THROTTLED, "429", MINI)] },
  { q: "split that by deployment", after: "errors today", category: "follow-ups", window: "today", expect: [split(count(ERRORS, "4xx+5xx"), "ModelDeploymentName")] },
  { q: "same for latency", after: "success rate gpt-4o-mini", category: "follow-ups", expect: [latency(MINI)], notes: ["latency over all calls"] },
  { q: "now 24h", after: "requests gpt-4o last hour", category: "follow-ups", window: "24h", expect: [count(REQUESTS, "all", G4O)] },
  { q: "what about yesterday?", after: "throttle rate gpt-4o-mini", category: "follow-ups", window: "yesterday", expect: [share("Throttle rate", "429", MINI)] },
  { q: "vs gpt-4o", after: "latency gpt-4o-mini last hour", category: "follow-ups", expect: [latency(MINI, "gpt-4o-mini"), latency(G4O, "gpt-4o")], notes: ["latency over all calls"] },
];
