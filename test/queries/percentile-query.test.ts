// The log query a percentile question is answered with: the percentile, deployment and window
// asked, every value a KQL string literal, so quotes, pipes and newlines in a name can't change
// the query's shape (its lines, operators and clauses).
import { describe, expect, it } from "vitest";
import { InvalidFilterValueError } from "../../src/queries/errors.ts";
import { kqlString, percentileKql } from "../../src/queries/percentile-query.ts";

const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const base = { resourceIds: [AOAI], start: new Date("2026-11-30T14:30:00Z"), end: new Date("2026-12-01T14:30:00Z") };

/** The query with every string literal replaced by S: what the values can't change. */
function shape(kql: string): string {
  return kql.replace(/"(?:[^"\\]|\\.)*"/g, "S");
}

/** Reads a literal back the way KQL would. */
function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c);
}

describe("percentile log queries", () => {
  it.each([
    [[50], ["gpt-4o"], "p50_ms = percentile(DurationMs, 50)"],
    [[95], ["gpt-4o-mini"], "p95_ms = percentile(DurationMs, 95)"],
    [[99], ["gpt-4o", "gpt-4o-ptu"], "p99_ms = percentile(DurationMs, 99)"],
    [[50, 95, 99], [], "p50_ms = percentile(DurationMs, 50), p95_ms = percentile(DurationMs, 95), p99_ms = percentile(DurationMs, 99)"],
    [[99.9], ["gpt-4o"], "p99_9_ms = percentile(DurationMs, 99.9)"],
  ])("%j of %j: %s over the window, successful RequestResponse calls", (percentiles, deployments, summarize) => {
    const kql = percentileKql({ ...base, percentiles, deployments });
    const lines = kql.split("\n");
    expect(lines[0]).toBe("AzureDiagnostics");
    expect(lines).toContain("| where TimeGenerated >= datetime(2026-11-30T14:30:00Z) and TimeGenerated < datetime(2026-12-01T14:30:00Z)");
    expect(lines).toContain('| where ResourceProvider == "MICROSOFT.COGNITIVESERVICES" and Category == "RequestResponse"');
    expect(lines).toContain(`| where _ResourceId in~ ("${AOAI}")`);
    expect(lines).toContain('| where ResultSignature startswith "2"');
    expect(lines).toContain(`| summarize calls = count(), ${summarize} by deployment`);
    if (deployments.length > 0) expect(lines).toContain(`| where deployment in~ (${deployments.map((d) => `"${d}"`).join(", ")})`);
    else expect(kql).not.toContain("where deployment");
  });

  const hostile = ['gpt-4o")\n| take 1 //', 'x" or 1==1 or deployment == "', "a\\\" | project secrets", "line\r\nbreak\tand | pipe", "quote's", '"'];
  it.each(hostile)("binds %j as one literal: the query keeps its shape and reads the name back", (name) => {
    const safe = percentileKql({ ...base, percentiles: [95], deployments: ["gpt-4o"] });
    const kql = percentileKql({ ...base, percentiles: [95], deployments: [name] });
    expect(shape(kql)).toBe(shape(safe));
    expect(kql.split("\n")).toHaveLength(safe.split("\n").length);
    const literal = /\| where deployment in~ \(("(?:[^"\\]|\\.)*")\)/.exec(kql)?.[1] ?? "";
    expect(unquote(literal)).toBe(name);
  });

  it("refuses control characters it has no escape for", () => {
    expect(() => kqlString("gpt\u0000-4o")).toThrow(InvalidFilterValueError);
    expect(() => kqlString("gpt\u2028-4o")).toThrow(InvalidFilterValueError);
  });
});
