import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArmError } from "../../src/demo/arm-error.ts";
import { matchesFilter, parseFilter } from "../../src/demo/metric-filter.ts";

const cell = (values: Record<string, string>) => (dim: string) => values[dim.toLowerCase()] ?? "";
const gpt4o = cell({ modeldeploymentname: "gpt-4o", statuscode: "429", region: "swedencentral" });

describe("parseFilter", () => {
  it("reads and-ed clauses, each a comparison or an or-group of one dimension", () => {
    expect(parseFilter("ModelDeploymentName eq '*' and (StatusCode eq '429' or StatusCode eq '503')")).toEqual([
      { dimension: "ModelDeploymentName", comparisons: [{ dimension: "ModelDeploymentName", operator: "eq", value: "*" }], split: true },
      {
        dimension: "StatusCode",
        comparisons: [
          { dimension: "StatusCode", operator: "eq", value: "429" },
          { dimension: "StatusCode", operator: "eq", value: "503" },
        ],
        split: false,
      },
    ]);
  });

  it("takes keywords in any case, extra spaces and nested parentheses", () => {
    const clauses = parseFilter("  ((Region EQ 'swedencentral'))   AND   ( ModelDeploymentName Ne 'gpt-4o-mini' ) ");
    expect(clauses.map((c) => [c.dimension, c.comparisons[0]?.operator, c.comparisons[0]?.value])).toEqual([
      ["Region", "eq", "swedencentral"],
      ["ModelDeploymentName", "ne", "gpt-4o-mini"],
    ]);
  });

  it("reads a doubled quote as a quote and percent-encoded brackets as brackets", () => {
    expect(parseFilter("ApiName eq 'it''s %28v1%29'")[0]?.comparisons[0]?.value).toBe("it's (v1)");
  });

  it("is empty for an empty filter", () => {
    expect(parseFilter("   ")).toEqual([]);
  });

  it.each([
    "ModelDeploymentName eq 'x' or Region eq '*'",
    "ModelDeploymentName eq 'x",
    "ModelDeploymentName eq x",
    "ModelDeploymentName = 'x'",
    "ModelDeploymentName eq 'x' and",
    "(ModelDeploymentName eq 'x'",
    "ModelDeploymentName eq 'x')",
    "ModelDeploymentName eq 'x' ModelName eq 'y'",
    "ModelDeploymentName ne '*'",
    "ModelDeploymentName eq '*' or ModelDeploymentName eq 'x'",
    "(A eq 'a' and B eq 'b') or A eq 'c'",
    "and eq 'x'",
    "ModelDeploymentName eq 'x'; drop",
  ])("rejects %s with a 400 BadRequest", (filter) => {
    const attempt = () => parseFilter(filter);
    expect(attempt).toThrow(ArmError);
    try {
      attempt();
    } catch (err) {
      expect(err).toMatchObject({ status: 400, code: "BadRequest" });
    }
  });

  it("never fails with anything but a 400 on arbitrary input", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("A", "b", " ", "'", "(", ")", "eq", "or", "and", "*", "ne", "sw", "%28") }), (text) => {
        try {
          parseFilter(text);
        } catch (err) {
          expect(err).toBeInstanceOf(ArmError);
          expect((err as ArmError).status).toBe(400);
        }
      }),
    );
  });

  it("never lets a value break out of its quotes into another clause", () => {
    // % is left out: %28 and %29 decode to brackets by design.
    fc.assert(
      fc.property(fc.string().filter((v) => !v.includes("%")), (value) => {
        const clauses = parseFilter(`ModelDeploymentName eq '${value.replace(/'/g, "''")}'`);
        expect(clauses).toHaveLength(1);
        expect(clauses[0]?.comparisons).toEqual([{ dimension: "ModelDeploymentName", operator: "eq", value }]);
      }),
    );
  });
});

describe("matchesFilter", () => {
  it("requires every non-split clause and any comparison of an or-group, ignoring letter case of values", () => {
    expect(matchesFilter(parseFilter("ModelDeploymentName eq 'GPT-4O' and (StatusCode eq '400' or StatusCode eq '429')"), gpt4o)).toBe(true);
    expect(matchesFilter(parseFilter("ModelDeploymentName eq 'gpt-4o' and StatusCode eq '200'"), gpt4o)).toBe(false);
  });

  it("treats ne as exclusion, sw as a prefix and a split clause as no condition", () => {
    expect(matchesFilter(parseFilter("ModelDeploymentName ne 'gpt-4o'"), gpt4o)).toBe(false);
    expect(matchesFilter(parseFilter("ModelDeploymentName sw 'gpt-4'"), gpt4o)).toBe(true);
    expect(matchesFilter(parseFilter("ModelDeploymentName eq '*' and Region eq 'swedencentral'"), gpt4o)).toBe(true);
  });
});
