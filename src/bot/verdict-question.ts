// "is anything wrong?", "is gpt-4o down?" as a question: asked over every deployment, split by
// deployment, the named deployments its focus. Only with the others' figures can "no calls while
// the others had traffic" (idle) be told from a gap in Azure Monitor's data (no data).
import { DEFAULT_TOP, type Question } from "../queries/question.ts";

/** Split rows shown at most (parse.ts caps "top N" the same way). */
const MAX_ROWS = 50;

export function verdictQuestion(on: boolean, deployments: readonly string[], q: Question): Question {
  if (!on) return q;
  // split by something else ("by region"): the named deployment stays a filter, the rows are regions
  if (q.splitBy !== undefined && q.splitBy !== "ModelDeploymentName") return { ...q, verdict: { focus: [] } };
  const { ModelDeploymentName: named = [], ...others } = q.filters;
  // every deployment is a row, so none is judged from the "and N more" it was hidden in
  const top = q.top ?? (deployments.length > DEFAULT_TOP ? Math.min(MAX_ROWS, deployments.length) : undefined);
  return { ...q, filters: others, splitBy: "ModelDeploymentName", ...(top === undefined ? {} : { top }), verdict: { focus: named } };
}
