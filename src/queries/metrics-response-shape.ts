// What the query layer needs from a Metrics - List 200, checked on the JSON as it arrived: Azure (or
// a proxy in front of it) can answer 200 with `{}`, `[]` or half a document, on which the SDK's
// deserializer throws TypeErrors or passes wrong types through. Only what the bot reads is
// required; what Azure may leave out stays optional, so a real answer is never refused.
import { z } from "zod";

const localizable = z.object({ value: z.string(), localizedValue: z.string().nullish() });
const figure = z.number().nullish();
const instant = z.string().refine((t) => !Number.isNaN(Date.parse(t)), "not a time");
const point = z.object({ timeStamp: instant, average: figure, minimum: figure, maximum: figure, total: figure, count: figure });
const series = z.object({
  metadatavalues: z.array(z.object({ name: localizable.nullish(), value: z.string().nullish() })).nullish(),
  data: z.array(point).nullish(),
});
const metric = z.object({
  name: localizable,
  unit: z.string().nullish(),
  errorCode: z.string().nullish(),
  errorMessage: z.string().nullish(),
  timeseries: z.array(series),
});
const response = z.object({ timespan: z.string().nullish(), interval: z.string().nullish(), value: z.array(metric) });

/** What is wrong with a Metrics - List body, or undefined when the bot can read it. */
export function metricsResponseProblem(body: unknown): string | undefined {
  const result = response.safeParse(body);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return issue ? `${issue.path.join(".") || "(body)"}: ${issue.message}` : "unexpected shape";
}
