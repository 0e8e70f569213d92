// Filter values checked against the values Azure reports for that dimension, before any data is
// asked for: "stream=true" is refused with the values there are ("Streaming, Non-Streaming")
// instead of answered as "no data". One Metadata lookup per resource and dimension (cached by
// AzureMetrics), listed in the plan's lookups.
import { DIMENSIONS, METRICS, type Dimension } from "./catalog.ts";
import { UnknownDimensionValueError } from "./errors.ts";
import type { PlannedLookup } from "./plan.ts";
import type { Question } from "./question.ts";
import type { Resource } from "./resources.ts";
import { isRestricted, scopedFilter } from "./scope.ts";

/**
 * Not checked: deployments are resolved against the deployment lookup; a status code, category or
 * severity that had no calls in the lookback is a real zero, not a wrong value.
 */
const UNCHECKED: ReadonlySet<Dimension> = new Set<Dimension>(["ModelDeploymentName", "StatusCode", "Category", "Severity", "TextType"]);

/** How many reported values an answer lists before "and N more". */
const LISTED = 15;

/** Where a dimension's values are read: the first current catalog metric that has it (AzureOpenAIRequests for the HTTP ones). */
export function valueSource(dimension: Dimension): string | undefined {
  return (METRICS.find((m) => m.legacy === undefined && m.dimensions.includes(dimension)) ?? METRICS.find((m) => m.dimensions.includes(dimension)))?.name;
}

export function checkedDimensions(question: Question): Dimension[] {
  return DIMENSIONS.filter((d) => !UNCHECKED.has(d) && (question.filters[d]?.length ?? 0) > 0 && valueSource(d) !== undefined);
}

/**
 * The Metadata filter a dimension's values are read with on `resource`: every value, or for an asker
 * who may see only some deployments, the values of those (a hidden deployment's model or region is
 * never listed). Undefined: not read there (restricted, and the source metric has no deployments).
 */
export function valueFilter(dimension: Dimension, resource: Resource): string | undefined {
  const split = `${dimension} eq '*'`;
  if (!isRestricted(resource)) return split;
  const source = METRICS.find((m) => m.name === valueSource(dimension));
  return source?.dimensions.includes("ModelDeploymentName") === true && resource.visible.length > 0 ? scopedFilter(split, resource) : undefined;
}

/** The lookups the check sends: one per resource and filtered dimension. */
export function valueLookups(question: Question, resources: readonly Resource[]): PlannedLookup[] {
  return checkedDimensions(question).flatMap((dimension) =>
    resources.flatMap((r): PlannedLookup[] => {
      const filter = valueFilter(dimension, r);
      return filter === undefined ? [] : [{ api: "metrics", resourceId: r.id, resultType: "Metadata", reads: "dimension values", metricnames: valueSource(dimension) ?? "", filter }];
    }),
  );
}

/** `filter`: as valueFilter says; absent, the whole dimension. */
export type ReadValues = (resourceId: string, metricName: string, dimension: Dimension, filter?: string) => Promise<string[]>;

/**
 * The question with each checked filter value spelled as Azure reports it ("non-streaming" →
 * "Non-Streaming"); a value no resource reports is refused with the ones they do. A dimension with
 * no reported values at all (no traffic in the lookback) is not judged.
 */
export async function checkReportedValues(question: Question, resources: readonly Resource[], read: ReadValues): Promise<Question> {
  const dims = checkedDimensions(question);
  if (dims.length === 0) return question;
  const readOn = (r: Resource, d: Dimension): Promise<string[]> => {
    const filter = valueFilter(d, r);
    if (filter === undefined) return Promise.resolve([]);
    return isRestricted(r) ? read(r.id, valueSource(d) ?? "", d, filter) : read(r.id, valueSource(d) ?? "", d);
  };
  const reported = await Promise.all(dims.map(async (d) => [...new Set((await Promise.all(resources.map((r) => readOn(r, d)))).flat())].sort()));
  const filters = { ...question.filters };
  dims.forEach((dim, i) => {
    const known = reported[i] ?? [];
    if (known.length === 0) return;
    filters[dim] = (question.filters[dim] ?? []).map((value) => {
      const hit = known.find((k) => comparable(k) === comparable(value));
      if (hit !== undefined) return hit;
      const shown = known.slice(0, LISTED).join(", ") + (known.length > LISTED ? ` and ${known.length - LISTED} more` : "");
      throw new UnknownDimensionValueError(`${dim} has no value "${value}"; it reports: ${shown}.`, {
        hint: `These are the ${dim} values Azure Monitor reported over the last 30 days; filter by one of them.`,
      });
    });
  });
  return { ...question, filters };
}

/** Case, spaces and punctuation don't tell values apart for a person: "nonstreaming" is "Non-Streaming". */
function comparable(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, "");
}
