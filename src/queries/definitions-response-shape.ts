// What the query layer needs from a Metric Definitions - List 200, checked on the JSON as it
// arrived (as metrics-response-shape.ts does for Metrics - List): the metric family a resource
// answers in is decided from these names, so a `{}` or half a document must not read as "lists none".
import { z } from "zod";

const definition = z.object({ name: z.object({ value: z.string(), localizedValue: z.string().nullish() }) });
const response = z.object({ value: z.array(definition) });

/** What is wrong with a Metric Definitions - List body, or undefined when the bot can read it. */
export function definitionsResponseProblem(body: unknown): string | undefined {
  const result = response.safeParse(body);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return issue ? `${issue.path.join(".") || "(body)"}: ${issue.message}` : "unexpected shape";
}
