import { describe, expect, it } from "vitest";
import { UnknownDeploymentError } from "../../src/queries/errors.ts";
import { closest, editDistance, resolveDeployment } from "../../src/queries/deployments.ts";

const KNOWN = ["gpt-4o", "gpt-4o-mini", "text-embedding-3-large", "gpt-4o-ptu"];

describe("deployment names", () => {
  it("resolve whatever the case, to the name Azure uses", () => {
    expect(resolveDeployment("GPT-4o-Mini", KNOWN)).toBe("gpt-4o-mini");
  });

  it("suggest the nearest name for a slip of the fingers, and nothing for a different word", () => {
    expect(closest("gpt4o", KNOWN)).toBe("gpt-4o");
    expect(closest("gpt-4o-mimi", KNOWN)).toBe("gpt-4o-mini");
    expect(closest("text-embeding-3-lage", KNOWN)).toBe("text-embedding-3-large");
    // short names allow one edit, so "gpt" is not taken for gpt-4o
    expect(closest("gpt", KNOWN)).toBeUndefined();
    expect(closest("whisper", KNOWN)).toBeUndefined();
    expect(closest("gpt-4o", [])).toBeUndefined();
  });

  it("refuse an unknown name with the suggestion and the known list", () => {
    expect(() => resolveDeployment("gpt-4o-mnii", KNOWN)).toThrow(UnknownDeploymentError);
    expect(() => resolveDeployment("gpt-4o-mnii", KNOWN)).toThrow('There is no deployment named "gpt-4o-mnii". Did you mean gpt-4o-mini?');
  });

  it("count insertions, deletions and substitutions one each", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("gpt-4o", "gpt-4o")).toBe(0);
    expect(editDistance("gpt-4o", "gpt-4o-mini")).toBe(5);
  });
});
