// The absence template: RequestResponse rows per deployment in the silent window and the last row's
// time, for exactly the resources and deployments asked. Every value is one KQL string literal, so
// quotes, backslashes, pipes, newlines, `let` statements and comments in a name leave the query's
// shape (its lines, operators and clauses) as it was, or the name is refused.
import { describe, expect, it } from "vitest";
import { InvalidFilterValueError } from "../../../src/queries/errors.ts";
import { absenceKql, absenceParams } from "../../../src/queries/logs/absence-template.ts";

const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const base = { resourceIds: [AOAI], start: new Date("2026-11-30T12:00:00Z"), end: new Date("2026-11-30T14:00:00Z"), since: new Date("2026-11-23T14:00:00Z") };

/** The query with every string literal replaced by S: what the values can't change. */
function shape(kql: string): string {
  return kql.replace(/"(?:[^"\\]|\\.)*"/g, "S");
}

/** Reads a literal back the way KQL would. */
function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c);
}

describe("the absence query", () => {
  it("counts rows in the window and finds the last row over the lookback, per resource and deployment", () => {
    const lines = absenceKql({ ...base, deployments: ["gpt-4o", "gpt-4o-mini"] }).split("\n");
    expect(lines).toEqual([
      "AzureDiagnostics",
      "| where TimeGenerated >= datetime(2026-11-23T14:00:00Z) and TimeGenerated < datetime(2026-11-30T14:00:00Z)",
      '| where ResourceProvider == "MICROSOFT.COGNITIVESERVICES" and Category == "RequestResponse"',
      `| where _ResourceId in~ ("${AOAI}")`,
      "| extend deployment = tostring(parse_json(properties_s).modelDeploymentName)",
      '| where deployment in~ ("gpt-4o", "gpt-4o-mini")',
      "| summarize rows = countif(TimeGenerated >= datetime(2026-11-30T12:00:00Z)), last_row = max(TimeGenerated) by _ResourceId, deployment",
      "| order by deployment asc",
    ]);
  });

  it("asks about every deployment when none is named", () => {
    const kql = absenceKql({ ...base, deployments: [] });
    expect(kql).not.toContain("where deployment");
    expect(kql).toContain("by _ResourceId, deployment");
  });

  it("carries its bound values for the demo's workspace", () => {
    expect(absenceParams({ ...base, deployments: ["gpt-4o"] })).toEqual({ resourceIds: [AOAI], deployments: ["gpt-4o"], start: "2026-11-30T12:00:00Z", end: "2026-11-30T14:00:00Z", since: "2026-11-23T14:00:00Z" });
  });

  const hostile = [
    ['a quote closing the literal', 'gpt-4o") | take 1 | where ("x" == "x'],
    ["a backslash before the quote", 'gpt-4o\\" | project secrets //'],
    ["a pipe", "gpt-4o | summarize count()"],
    ["a newline and a new statement", 'gpt-4o")\n| union (AzureActivity)\n| where ("1'],
    ["a let statement", 'x"; let secrets = AzureActivity; secrets | where "a" == "a'],
    ["a line comment", 'gpt-4o") // ignore the rest'],
    ["a block comment", "gpt-4o /* */ \" or 1 == 1 or deployment == \""],
    ["carriage return and tab", "line\r\nbreak\tand | pipe"],
    ["a single quote", "quote's"],
    ["only a quote", '"'],
  ];
  it.each(hostile)("binds %s as one literal in the deployment list: same shape, the name read back", (_, name) => {
    const safe = absenceKql({ ...base, deployments: ["gpt-4o"] });
    const kql = absenceKql({ ...base, deployments: [name] });
    expect(shape(kql)).toBe(shape(safe));
    expect(kql.split("\n")).toHaveLength(safe.split("\n").length);
    const literal = /\| where deployment in~ \(("(?:[^"\\]|\\.)*")\)/.exec(kql)?.[1] ?? "";
    expect(unquote(literal)).toBe(name);
  });

  it.each(hostile)("binds %s as one literal in the resource list too", (_, id) => {
    const safe = absenceKql({ ...base, deployments: [] });
    const kql = absenceKql({ ...base, resourceIds: [id], deployments: [] });
    expect(shape(kql)).toBe(shape(safe));
    const literal = /\| where _ResourceId in~ \(("(?:[^"\\]|\\.)*")\)/.exec(kql)?.[1] ?? "";
    expect(unquote(literal)).toBe(id);
  });

  it.each([
    ["a NUL", "gpt\u0000-4o"],
    ["a line separator", "gpt\u2028| take 1"],
    ["an escape character", "gpt\u001b[2J"],
  ])("refuses a name holding %s, which KQL has no escape for", (_, name) => {
    expect(() => absenceKql({ ...base, deployments: [name] })).toThrow(InvalidFilterValueError);
  });
});
