// The `aoai ask --json` / `--plan` contract that scripts and later issues rely on.
import { sayVerdict, type Verdict } from "../bot/verdict.ts";
import { CHECK_PURPOSES, type MetricsRequest, type Plan, type PlannedRequest } from "../queries/plan.ts";
import { plannedSends } from "../queries/request-merge.ts";
import type { QueryAnswer } from "../queries/result.ts";
import type { SentAs } from "../queries/sent-as.ts";
import type { TableAnswer } from "../queries/table-answer.ts";

/** A table answer (logs, raw KQL, the activity log, quota, doctor): the table as typed columns and rows, and everything it came from. */
export function tableAnswerJson(answer: TableAnswer): unknown {
  return {
    kind: answer.kind,
    topic: answer.topic,
    ...(answer.window ? { window: answer.window } : {}),
    zone: answer.zone,
    lines: answer.lines,
    notes: answer.notes,
    ...(answer.partial === undefined ? {} : { partial: answer.partial }),
    ...(answer.empty === undefined ? {} : { empty: answer.empty }),
    table: { columns: answer.table.columns.map((c) => ({ name: c.name, type: c.type })), rows: answer.table.rows },
    sources: answer.sources,
    ...(answer.statistics === undefined ? {} : { statistics: answer.statistics }),
    requests: answer.requests,
  };
}

/** `verdict` when the question had one ("is anything wrong?"): the line the answer leads with, and each row's findings. */
export function answerJson(answer: QueryAnswer, verdict?: Verdict): unknown {
  return {
    ...(verdict ? { verdict: verdictJson(verdict) } : {}),
    topic: answer.topic,
    window: answer.window,
    zone: answer.zone,
    notes: answer.notes,
    ...(answer.baseline ? { baseline: { timespan: answer.baseline.timespan, kind: answer.baseline.kind, label: answer.baseline.label } } : {}),
    ...(answer.freshness ? { freshness: answer.freshness } : {}),
    answers: answer.results.map((r) => ({
      metric: r.metric,
      label: r.label,
      aggregation: r.aggregation,
      unit: r.unit,
      timespan: r.provenance.timespan,
      ...(r.provenance.formula === undefined ? {} : { formula: r.provenance.formula }),
      ...(r.item ? { item: r.item } : {}),
      value: r.value,
      previous: r.previous,
      ...(r.baseline ? { baseline: { timespan: r.baseline.timespan, kind: r.baseline.kind } } : {}),
      ...(r.parts ? { parts: r.parts } : {}),
      ...(r.peakAt ? { peakAt: r.peakAt } : {}),
      ...(r.freshness ? { freshness: r.freshness } : {}),
      resourceId: r.resource.id,
      ...(r.splitBy === undefined ? {} : { splitBy: r.splitBy, hiddenSeries: r.hiddenSeries }),
      ...(r.legacy ? { legacy: r.legacy } : {}),
      ...(r.error ? { error: r.error } : {}),
      series: r.series.map((s) => ({ dimensions: s.dimensions, value: s.value, previous: s.previous, points: s.points })),
      provenance: r.provenance,
    })),
    // what was really sent, each with `sentAs` when the batch API stood between (metrics:getBatch, or Metrics - List and why)
    requests: answer.requests,
  };
}

/**
 * Every request `--json` may send, in the order they run: the unconditional ones (sent together),
 * then those marked `conditional` (sent only when that holds for the first answers). `lookups`
 * are the deployment-name reads planning needed (cached per resource).
 * `mayBeSentAs` (QueryService.mayBeSentAs): the metrics:getBatch call a request of a plan of several
 * accounts may share, said as `mayBeSentAs` and never as fact: a response still kept, a refusal
 * (no Monitoring Reader on the subscription) or a condition that does not hold sends it otherwise,
 * and `--json`'s `requests` say how it went (`sentAs`).
 */
export function planJson(plan: Plan, mayBeSentAs?: (requests: readonly MetricsRequest[]) => readonly (SentAs | undefined)[]): unknown {
  const purpose = (p: PlannedRequest) => (p.purpose === "figures" ? {} : { purpose: CHECK_PURPOSES[p.purpose] });
  const sends = plannedSends(plan);
  // sent in two turns (request-merge.ts): the unconditional ones together, then the conditional ones
  const conditional = (s: (typeof sends)[number]) => s.parts.length === 1 && s.parts[0]?.conditional !== undefined;
  const outlook = new Map<(typeof sends)[number], SentAs>();
  for (const turn of [sends.filter((s) => !conditional(s)), sends.filter(conditional)]) {
    const may = mayBeSentAs?.(turn.map((s) => s.request)) ?? [];
    turn.forEach((s, i) => {
      const m = may[i];
      if (m !== undefined) outlook.set(s, m);
    });
  }
  const may = (s: (typeof sends)[number]) => {
    const m = outlook.get(s);
    return m === undefined ? {} : { mayBeSentAs: m };
  };
  return {
    // windows that differ only by time are one request (request-merge.ts): `covers` lists what it answers
    requests: sends.map((s) => {
      const { request, parts } = s;
      return parts.length === 1 && parts[0] !== undefined
        ? { ...request, ...purpose(parts[0]), ...(parts[0].conditional === undefined ? {} : { conditional: parts[0].conditional }), ...may(s) }
        : { ...request, covers: parts.map((p) => ({ window: p.request.window, timespan: p.request.timespan, ...(p.request.metricnames === request.metricnames ? {} : { metricnames: p.request.metricnames }), ...purpose(p) })), ...may(s) };
    }),
    lookups: plan.lookups,
  };
}

/** A failure as `--json`/`--plan` print it on stdout; the exit code is the same as without JSON. */
export interface CliError {
  /** "usage", "bad_config", "internal", or the bot's error code ("not_understood", "unknown_deployment", …). */
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  /** The configuration key to fix (bad_config). */
  readonly key?: string;
  /** Questions to try instead. */
  readonly examples?: readonly string[];
  /** Quoted to operators for internal failures, so logs can be found. */
  readonly reference?: string;
}

export function errorJson(e: CliError): unknown {
  return {
    error: {
      code: e.code,
      message: e.message,
      ...(e.hint === undefined ? {} : { hint: e.hint }),
      ...(e.key === undefined ? {} : { key: e.key }),
      ...(e.examples === undefined || e.examples.length === 0 ? {} : { examples: e.examples }),
      ...(e.reference === undefined ? {} : { reference: e.reference }),
    },
  };
}

/** The verdict's rows are deployments unless the question split by something else (then `noun` says what). */
function verdictJson(v: Verdict): unknown {
  const said = sayVerdict(v);
  return {
    state: said.state,
    line: said.line,
    noun: v.noun,
    deployments: v.rows.map((r) => ({
      name: r.name,
      ...(v.multiResource ? { resource: r.resource } : {}),
      state: r.health,
      calls: r.calls,
      success: r.success,
      checks: r.findings.map((f) => ({ check: f.check, value: f.value, limit: f.limit, figure: f.figure, previous: f.previous, calls: f.calls, ...(f.recentMinutes === undefined ? {} : { recentMinutes: f.recentMinutes }) })),
    })),
  };
}
