// The query layer's front door: knows the resources, plans a Question (or a daily summary), sends
// exactly the plan's requests through the one Azure client, and turns the responses into an answer.
import type { AzureMetrics, MetricsResponse } from "./azure-metrics.ts";
import type { DailySummary } from "./daily-summary.ts";
import { conditionHolds, results } from "./figures.ts";
import { planQuestion, type MetricsRequest, type Plan, type PlannedRequest } from "./plan.ts";
import { sendBatch } from "./request-merge.ts";
import type { MetricAsk, Question } from "./question.ts";
import { metric } from "./catalog.ts";
import { resourceName, type Resource } from "./resources.ts";
import type { Freshness, QueryAnswer } from "./result.ts";
import type { BatchMetrics } from "./batch-metrics.ts";
import { readSummaries } from "./summaries.ts";
import { checkReportedValues } from "./reported-values.ts";
import { visibleSeries } from "./visible-series.ts";
import { metricLinks } from "./portal-links.ts";
import { assertProvisioned } from "./provisioned-check.ts";
import type { PriceTable } from "./prices.ts";
import { estimateSpend } from "./spend.ts";
import { isSpendPlan, planSpend } from "./spend-plan.ts";
import { describeInZone, iso } from "./time-window.ts";
import { asPlanned, familyNotes, provenanceInFamily, readAsPlanned, sentInFamilies } from "./family-plan.ts";
import { CANONICAL_FAMILY, familyOf, metricNameIn } from "./metric-families.ts";
import { atWholeMinute } from "./minute-aligned.ts";
import { refusedResponse, refusesResource } from "./refused-resource.ts";
import type { SentAs } from "./sent-as.ts";
import { withSentAs } from "./answer-sent-as.ts";

export interface QueryServiceOptions {
  readonly metrics: AzureMetrics;
  readonly resourceIds: readonly string[];
  readonly zone: string;
  readonly now?: () => Date;
  /** `prices:` of the configuration: what spend estimates multiply tokens by. */
  readonly prices?: PriceTable;
  /** The cloud's portal origin (portal-hosts.ts): answers link to the same charts in it. */
  readonly portal?: string;
  /** The metrics batch API (batch-metrics.ts), for daily summaries of several resources; absent: per-resource calls only. */
  readonly batch?: BatchMetrics;
}

export class QueryService {
  readonly zone: string;
  private readonly metrics: AzureMetrics;
  private readonly resourceIds: readonly string[];
  private readonly now: () => Date;
  private readonly prices: PriceTable | undefined;
  private readonly portal: string | undefined;
  private readonly batch: BatchMetrics | undefined;

  constructor(options: QueryServiceOptions) {
    this.batch = options.batch;
    this.prices = options.prices;
    this.portal = options.portal;
    this.metrics = options.metrics;
    this.resourceIds = options.resourceIds;
    this.zone = options.zone;
    this.now = options.now ?? (() => new Date());
  }

  get configuredResourceIds(): readonly string[] {
    return this.resourceIds;
  }

  /**
   * The configured resources with the metric family each reports (metric-families.ts), the
   * deployments Azure reports for each, their models and which are provisioned (AzureMetrics caches
   * both lookups per resource).
   */
  async resources(): Promise<Resource[]> {
    return Promise.all(
      this.resourceIds.map(async (id) => {
        try {
          const family = familyOf(await this.metrics.definitions(id));
          const facts = await this.metrics.deploymentFacts(id, family);
          return { id, name: resourceName(id), deployments: facts.map((f) => f.name), facts, family };
        } catch (err) {
          // one resource of several refusing its lookups: kept, so its reads are refused too and its figures say so
          if (!refusesResource(err, id, this.resourceIds.length)) throw err;
          return { id, name: resourceName(id), deployments: [], facts: [], family: CANONICAL_FAMILY };
        }
      }),
    );
  }

  /** Every deployment name, of `resources` when the caller already has them. */
  async deployments(resources?: readonly Resource[]): Promise<string[]> {
    const rs = resources ?? (await this.resources());
    return [...new Set(rs.flatMap((r) => r.deployments))].sort();
  }

  /** `resources`: the ones the question was understood with, so a question looks deployments up once. */
  async plan(question: Question, now: Date = this.now(), zone: string = this.zone, resources?: readonly Resource[]): Promise<Plan> {
    const rs = resources ?? (await this.resources());
    // filter values as Azure reports them, or refused with the reported ones (one cached lookup per resource and dimension)
    const familyAt = (id: string) => rs.find((r) => r.id === id)?.family ?? CANONICAL_FAMILY;
    const checked = await checkReportedValues(question, rs, (id, metricName, dimension, filter) => this.metrics.dimensionValues(id, metricNameIn(familyAt(id), metricName), dimension, filter));
    assertProvisioned(checked, rs);
    // planned in the catalog's names, sent in each resource's metric family
    // windows ending now end at the last whole minute, so identical questions send identical requests
    return sentInFamilies(atWholeMinute((at) => (checked.estimate === "spend" ? planSpend(checked, rs, at, zone, this.prices) : planQuestion(checked, rs, at, zone)), now));
  }


  /** `zone` overrides the configured one (a report's own zone decides what "yesterday" is). */
  async answer(question: Question, now: Date = this.now(), zone: string = this.zone, resources?: readonly Resource[]): Promise<QueryAnswer> {
    return this.run(await this.plan(question, now, zone, resources));
  }

  /**
   * Sends the plan's requests and nothing else: the unconditional ones together, then the
   * conditional ones whose condition holds for those responses.
   */
  async run(sentPlan: Plan): Promise<QueryAnswer> {
    // read in the names it was planned in; each request is sent as its resource's family names it
    const { plan, sent } = asPlanned(sentPlan);
    const sentAs = (p: PlannedRequest) => sent.get(p) ?? p.request;
    const responses = new Map<PlannedRequest, MetricsResponse>();
    const refusals = new Map<string, unknown>();
    // as which call each sent request went, when the batch API stood between (sent-as.ts)
    const how = new Map<MetricsRequest, SentAs>();
    const noted = (req: MetricsRequest) => (res: MetricsResponse) => {
      const s = this.batch?.sentAs(res);
      if (s !== undefined) how.set(req, s);
      return res;
    };
    // one resource of several refusing: its figures say so and the others answer (refused-resource.ts)
    const query = (req: MetricsRequest, p: PlannedRequest) => this.read(req, plan.resources.length).then(noted(req)).catch((err: unknown) => {
      const refused = refusedResponse(err, req, plan.resources.length);
      if (!refused) throw err;
      refusals.set(p.resource.id, err);
      return refused;
    });
    // windows differing only by time go as one request, cut back per planned request (request-merge.ts)
    const sentFor = new Map<PlannedRequest, readonly MetricsRequest[]>();
    const send = async (list: readonly PlannedRequest[], merge: boolean) => {
      const got = await sendBatch(list.map(sentAs), (req, i) => query(req, list[i]!), merge);
      list.forEach((p, i) => {
        responses.set(p, readAsPlanned(visibleSeries(got.responses[i]!, p.resource), sentAs(p), p.request));
        sentFor.set(p, got.sent[i]!);
      });
    };
    await send(plan.requests.filter((p) => p.conditional === undefined), true);
    // as plannedSends lists them: only some conditional requests run, so none is merged
    await send(plan.requests.filter((p) => p.conditional !== undefined && conditionHolds(plan, p, responses)), false);
    // every resource refusing is the answer's failure, as it is with one
    if (refusals.size > 0 && refusals.size === plan.resources.length) throw refusals.values().next().value;
    const question = plan.question;
    const figures = results(plan, responses);
    const freshness = figures.map((r) => r.freshness).find((f) => f !== undefined);
    const baseline = figures.find((r) => r.freshness !== undefined)?.baseline ?? figures[0]?.baseline ?? { timespan: `${iso(plan.previous.start)}/${iso(plan.previous.end)}`, kind: plan.previous.kind, label: plan.previous.label };
    const [start, end] = baseline.timespan.split("/");
    const answer: QueryAnswer = {
      topic: question.topic,
      zone: plan.zone,
      window: { start: iso(plan.window.start), end: iso(plan.window.end), label: plan.window.label },
      live: plan.live,
      previousWindow: { start: start ?? iso(plan.previous.start), end: end ?? iso(plan.previous.end) },
      baseline,
      ...(freshness ? { freshness } : {}),
      results: figures,
      notes: [...new Set([...question.notes, ...familyNotes(sentPlan), ...legacyNotes(question.asks), ...definitionNotes(question.asks), ...(freshness ? [freshnessNote(freshness, baseline.label, plan.zone)] : []), ...figures.flatMap((r) => r.notes ?? [])])],
      requests: [...new Set(plan.requests.flatMap((p) => sentFor.get(p) ?? []))],
    };
    const answered = isSpendPlan(plan) ? estimateSpend(plan, answer, responses) : answer;
    const told = withSentAs(answered, plan, sentFor, how);
    const sentAnswer = { ...told, results: told.results.map((r) => provenanceInFamily(r, plan.resources)) };
    return this.portal === undefined ? sentAnswer : { ...sentAnswer, links: metricLinks(sentAnswer, this.portal) };
  }

  /**
   * One request of a question's plan. With several resources it goes through the metrics batch API
   * (batch-metrics.ts): the same request for other accounts of its region, asked in the same turn,
   * shares one metrics:getBatch call; with one, or no batch API, it is a Metrics - List call.
   */
  private read(req: MetricsRequest, resources: number): Promise<MetricsResponse> {
    return resources > 1 && this.batch !== undefined ? this.batch.query(req) : this.metrics.query(req);
  }

  /**
   * For `aoai ask --plan`: the metrics:getBatch call each of `reqs` (sent in one turn, of a plan of
   * `resources` resources) may share. Only may: a kept response, a refusal or a condition that
   * does not hold sends it otherwise, as the answer's requests then say (sent-as.ts).
   */
  mayBeSentAs(reqs: readonly MetricsRequest[], resources: number): (SentAs | undefined)[] {
    return resources > 1 && this.batch !== undefined ? this.batch.outlook(reqs) : reqs.map(() => undefined);
  }

  /**
   * The daily summary of the local day before `slot` in `zone` for one resource: the two requests of
   * its plan. A restricted Resource (scope.ts) is summarised over its visible deployments only (of
   * `deployments`, those it shows), and refused when it shows none.
   */
  async summary(resource: string | Resource, slot: Date, zone: string = this.zone, deployments?: readonly string[]): Promise<DailySummary> {
    return (await this.summaries([resource], slot, zone, deployments))[0]!;
  }

  /**
   * The daily summaries of several resources, planned together and sent together, so the same
   * request for accounts of one region goes as metrics batch calls (summaries.ts, batch-metrics.ts).
   */
  summaries(resources: readonly (string | Resource)[], slot: Date, zone: string = this.zone, deployments?: readonly string[]): Promise<DailySummary[]> {
    return readSummaries({ metrics: this.metrics, ...(this.batch ? { batch: this.batch } : {}) }, resources, slot, zone, deployments);
  }
}

/** What a metric counts, where it surprises (availability counts 429s as available). */
function definitionNotes(asks: readonly MetricAsk[]): string[] {
  return [...new Set(asks.map((a) => a.metric))].flatMap((n) => {
    const d = metric(n).definition;
    return d === undefined || asks.some((a) => a.metric === n && a.figure !== undefined) ? [] : [d];
  });
}

function freshnessNote(f: Freshness, baseline: string, zone: string): string {
  const until = describeInZone({ start: new Date(f.dataUntil), end: new Date(f.dataUntil) }, zone).replace(/–\S+/, "");
  // floored: a window missing its newest minute is not "100 %" covered
  const pct = Math.floor((f.coveredMinutes / f.windowMinutes) * 100);
  return `Data is in up to ${until} (Azure Monitor metrics arrive a few minutes late): ${f.coveredMinutes} of ${f.windowMinutes} minutes (${pct} %) of the window; changes compare the same ${f.coveredMinutes} minutes of ${baseline}.`;
}

function legacyNotes(asks: readonly MetricAsk[]): string[] {
  const names = [...new Set(asks.map((a) => a.metric))];
  return names.flatMap((n) => {
    const l = metric(n).legacy;
    return l ? [`${n} is ${l.note}.`] : [];
  });
}
