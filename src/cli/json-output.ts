// The `aoai ask --json` / `--plan` contract that scripts and later issues rely on.
import type { MetricsRequest } from "../queries/plan.ts";
import type { QueryAnswer } from "../queries/result.ts";

export function answerJson(answer: QueryAnswer): unknown {
  return {
    topic: answer.topic,
    window: answer.window,
    zone: answer.zone,
    notes: answer.notes,
    answers: answer.results.map((r) => ({
      metric: r.metric,
      label: r.label,
      aggregation: r.aggregation,
      unit: r.unit,
      timespan: r.provenance.timespan,
      value: r.value,
      previous: r.previous,
      resourceId: r.resource.id,
      ...(r.splitBy === undefined ? {} : { splitBy: r.splitBy, hiddenSeries: r.hiddenSeries }),
      ...(r.legacy ? { legacy: r.legacy } : {}),
      ...(r.error ? { error: r.error } : {}),
      series: r.series.map((s) => ({ dimensions: s.dimensions, value: s.value, previous: s.previous, points: s.points })),
      provenance: r.provenance,
    })),
  };
}

export function planJson(requests: readonly MetricsRequest[]): unknown {
  return { requests };
}
