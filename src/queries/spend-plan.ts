// Planning a spend estimate: the window's prompt and completion tokens by deployment (the ordinary
// plan, baseline and freshness included) plus one read of which model each deployment runs, since
// token metrics have no ModelName dimension and prices are per model.
import { SPEND_ESTIMATE, type Dimension } from "./catalog.ts";
import { UnsupportedDimensionError, UserError } from "./errors.ts";
import { planQuestion, SPLIT_FETCH_TOP, type Plan, type PlannedRequest } from "./plan.ts";
import { PRICES_SNIPPET, type PriceTable } from "./prices.ts";
import type { MetricAsk, Question } from "./question.ts";
import type { Resource } from "./resources.ts";
import { scopedFilter, visibleClause } from "./scope.ts";
import { isoSpan } from "./time-window.ts";

/** A spend question asked while the configuration has no `prices:`. */
export class PricesNotConfiguredError extends UserError {
  readonly code = "no_prices";
}

/** How an estimate can be shown: per deployment, per model, or one total. */
export type SpendSplit = "ModelDeploymentName" | "ModelName";
const SPEND_SPLITS: readonly Dimension[] = ["ModelDeploymentName", "ModelName"];

export const SPEND_ASKS: readonly MetricAsk[] = [
  { metric: SPEND_ESTIMATE.inputMetric, aggregation: "Total", label: "Prompt tokens" },
  { metric: SPEND_ESTIMATE.outputMetric, aggregation: "Total", label: "Completion tokens" },
];

export interface SpendPlan extends Plan {
  readonly spend: {
    readonly prices: PriceTable;
    /** The split the person asked for; the tokens themselves are always read by deployment. */
    readonly shownBy?: SpendSplit;
    readonly top?: number;
    /** model=… : kept here, since token metrics can't be filtered by model. */
    readonly models?: readonly string[];
  };
}

export function isSpendPlan(plan: Plan): plan is SpendPlan {
  return "spend" in plan;
}

export function planSpend(asked: Question, resources: readonly Resource[], now: Date, zone: string, prices: PriceTable | undefined): SpendPlan {
  if (prices === undefined) {
    throw new PricesNotConfiguredError("I can't estimate spend yet: no prices are configured.", {
      hint: `Spend is estimated from token counts × prices you configure (per 1M tokens, per model as Azure names it, one currency). Add to aoai.config.yaml, with your own prices: \`${PRICES_SNIPPET}\` and restart. Actual charges are in Azure Cost Management.`,
      examples: ["tokens by deployment this week", "prompt vs completion tokens by deployment this week"],
    });
  }
  const askedSplit = asked.splitBy;
  if (askedSplit !== undefined && !SPEND_SPLITS.includes(askedSplit)) {
    throw new UnsupportedDimensionError(`An estimated cost is priced per deployment's model, so it can be split by deployment or model, not by ${askedSplit}.`, { hint: 'Try "cost by deployment this week" or "cost by model this week".' });
  }
  const { ModelName: models, ...filters } = asked.filters;
  const deployments = filters.ModelDeploymentName ?? [];
  // "cost of gpt-4o and gpt-4o-mini": each named deployment its own row
  const shownBy: SpendSplit | undefined = askedSplit === "ModelDeploymentName" || askedSplit === "ModelName" ? askedSplit : deployments.length > 1 ? "ModelDeploymentName" : undefined;
  const tokens: Question = { ...asked, asks: SPEND_ASKS, filters, splitBy: "ModelDeploymentName", top: SPLIT_FETCH_TOP, order: "desc" };
  const plan = planQuestion(tokens, resources, now, zone);
  const span = isoSpan({ start: plan.previous.start, end: plan.window.end });
  const modelReads = plan.resources.map((resource): PlannedRequest => {
    // a restricted asker's deployments only: which model a hidden deployment runs is not read either
    const visible = visibleClause(resource);
    return {
      request: { api: "metrics", resourceId: resource.id, metricnames: SPEND_ESTIMATE.modelMetric, aggregation: "Total", interval: "FULL", timespan: span, filter: scopedFilter("ModelDeploymentName eq '*' and ModelName eq '*'", resource)!, top: SPLIT_FETCH_TOP, orderby: "Total desc", window: "current" },
      resource,
      asks: [],
      splitDimensions: ["ModelDeploymentName", "ModelName"],
      clauses: [{ dimension: "ModelDeploymentName", values: "*" }, { dimension: "ModelName", values: "*" }, ...(visible === undefined ? [] : [visible])],
      purpose: "models",
    };
  });
  const always = plan.requests.filter((p) => p.conditional === undefined);
  const later = plan.requests.filter((p) => p.conditional !== undefined);
  return {
    ...plan,
    requests: [...always, ...modelReads, ...later],
    spend: { prices, ...(shownBy === undefined ? {} : { shownBy }), ...(asked.top === undefined ? {} : { top: asked.top }), ...(models === undefined ? {} : { models }) },
  };
}
