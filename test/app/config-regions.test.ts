// `resources[].region` in aoai.config.yaml: which accounts the metrics batch API may read together.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { ConfigError } from "../../src/app/config-error.ts";

const dir = mkdtempSync(join(tmpdir(), "aoai-config-regions-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const A = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-a";
const B = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-b";

describe("resources[].region", () => {
  it("is read per account, as ARM writes a location (lower case), and absent when no account names one", () => {
    const config = loadConfig({ file: file("regions.yaml", `resources:\n  - id: ${A}\n    region: SwedenCentral\n  - ${B}\n`), env: {} });
    expect(config.resourceIds).toEqual([A, B]);
    expect(config.regions).toEqual({ [A.toLowerCase()]: "swedencentral" });
    expect(loadConfig({ file: file("none.yaml", `resources:\n  - ${A}\n`), env: {} }).regions).toBeUndefined();
  });

  it("refuses what is not a region name, naming the key", () => {
    let caught: unknown;
    try {
      loadConfig({ file: file("bad.yaml", `resources:\n  - id: ${A}\n    region: "sweden central"\n`), env: {} });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).key).toBe("resources.0.region");
    expect((caught as ConfigError).message).toContain("swedencentral");
  });
});
