// An answer's requests and figures say as which call each request really went when the metrics
// batch API stood between the plan and the wire (sent-as.ts): the requests list (trace, audit,
// `--json`) and each figure's provenance (its source line), matched by the very request objects sent.
import type { MetricsRequest, Plan, PlannedRequest } from "./plan.ts";
import type { MetricResult, QueryAnswer } from "./result.ts";
import type { SentAs } from "./sent-as.ts";

/** `sentFor`: what was sent for each planned request, in sending order (request-merge.ts sendBatch); `how`: as which call each went. */
export function withSentAs(answer: QueryAnswer, plan: Plan, sentFor: ReadonlyMap<PlannedRequest, readonly MetricsRequest[]>, how: ReadonlyMap<MetricsRequest, SentAs>): QueryAnswer {
  if (how.size === 0) return answer;
  const requests = answer.requests.map((r) => {
    const s = how.get(r);
    return s === undefined ? r : { ...r, sentAs: s };
  });
  const results = answer.results.map((r) => {
    const s = figureSentAs(r, plan, sentFor, how);
    return s === undefined ? r : { ...r, provenance: { ...r.provenance, sentAs: s } };
  });
  return { ...answer, requests, results };
}

/** The call that gave the figure's window: the last one sent for its planned request (a merge whose cut could differ is followed by the request's own). */
function figureSentAs(r: MetricResult, plan: Plan, sentFor: ReadonlyMap<PlannedRequest, readonly MetricsRequest[]>, how: ReadonlyMap<MetricsRequest, SentAs>): SentAs | undefined {
  const p = plan.requests.find(
    (q) =>
      q.purpose === "figures" &&
      q.request.window === "current" &&
      q.resource.id === r.resource.id &&
      q.request.timespan === r.provenance.timespan &&
      q.request.filter === r.provenance.filter &&
      q.request.metricnames.split(",").includes(r.provenance.metric),
  );
  const sent = p === undefined ? undefined : sentFor.get(p);
  const last = sent?.[sent.length - 1];
  return last === undefined ? undefined : how.get(last);
}
