import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { cli } from "./run-cli.ts";

const NOW = "2026-11-29T10:00:00Z";
const DEMO_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aoai-demo/providers/Microsoft.CognitiveServices/accounts/aoai-demo";

describe("aoai ask", () => {
  it("prints a text answer with its provenance and exits 0", async () => {
    const r = await cli("ask", "--source", "demo", "--now", NOW, "latency gpt-4o 24h");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Time to response (successful calls):");
    expect(r.out).toContain("AzureOpenAITimeToResponse · Average · grain PT15M · 2026-11-28T10:00:00Z/2026-11-29T10:00:00Z · filter ModelDeploymentName eq 'gpt-4o'");
  });

  it("--json follows the contract", async () => {
    const r = await cli("ask", "--json", "--now", NOW, "how many 429s did gpt-4o-mini get yesterday?");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { answers: { metric: string; aggregation: string; unit: string; timespan: string; value: number | null; previous: number | null; series: { dimensions: Record<string, string>; value: number | null; points: { time: string; value: number | null }[] }[] }[] };
    expect(json.answers).toHaveLength(1);
    const a = json.answers[0]!;
    expect(a).toMatchObject({ metric: "AzureOpenAIRequests", aggregation: "Total", unit: "Count", timespan: "2026-11-28T00:00:00Z/2026-11-29T00:00:00Z" });
    expect(a.value).toBeGreaterThan(0);
    expect(typeof a.previous === "number" || a.previous === null).toBe(true);
    expect(a.series[0]?.dimensions).toEqual({});
    // one day at PT15M: 96 points, each an ISO time and a number or null
    expect(a.series[0]?.points).toHaveLength(96);
    expect(a.series[0]?.points.every((p) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(p.time) && (p.value === null || typeof p.value === "number"))).toBe(true);
    expect(a.series[0]?.points.reduce((s, p) => s + (p.value ?? 0), 0)).toBe(a.value);
  });

  it("--json carries the verdict of a health question: the line the text answer leads with, and each deployment's state and checks", async () => {
    const spike = "2026-12-01T10:10:00Z";
    const r = await cli("ask", "--json", "--now", spike, "is anything wrong");
    expect(r.code).toBe(0);
    type Check = { check: string; value: number; limit: number; figure: number; previous: number | null; calls: number; recentMinutes?: number };
    const json = JSON.parse(r.out) as { verdict?: { state: string; line: string; deployments: { name: string; state: string; checks: Check[] }[] } };
    const v = json.verdict;
    expect(v?.state).toBe("degraded");
    const text = await cli("ask", "--now", spike, "is anything wrong");
    expect(text.out.split("\n")[1]).toBe(`  ⚠️ ${v?.line ?? ""}`);
    expect(v?.deployments.map((d) => d.name).sort()).toEqual(["gpt-4o", "gpt-4o-mini", "gpt-4o-ptu", "text-embedding-3-large"]);
    // the demo's gpt-4o spike began at 10:00: named from the last 10 minutes, with the figures behind it
    const g = v?.deployments.find((d) => d.name === "gpt-4o");
    expect(g?.state).toBe("degraded");
    const slow = g?.checks.find((c) => c.check === "slow-recently");
    expect(slow).toMatchObject({ limit: 50, recentMinutes: 10 });
    expect(slow && slow.previous !== null ? (slow.figure / slow.previous - 1) * 100 : null).toBeCloseTo(slow?.value ?? Number.NaN, 6);
    expect(v?.line).toContain("gpt-4o: successful calls' time to response");
    const plain = JSON.parse((await cli("ask", "--json", "--now", spike, "latency gpt-4o")).out) as Record<string, unknown>;
    expect(plain).not.toHaveProperty("verdict");
  });

  it("--json provenance says which status series were kept after a StatusCode split; an exact code's filter already says it", async () => {
    type Answer = { provenance: { filter?: string; method: string } };
    const ask = async (q: string) => (JSON.parse((await cli("ask", "--json", "--now", "2026-12-01T14:30:00Z", q)).out) as { answers: Answer[] }).answers[0]!.provenance;
    const latency = await ask("latency gpt-4o-mini last hour");
    expect(latency.filter).toContain("StatusCode eq '*'");
    expect(latency.method).toMatch(/^Σ\(average×count\)\/Σcount of the 2xx series' \d+ PT1M points$/);
    expect((await ask("errors status=5xx today")).method).toMatch(/^sum of the 5xx series' \d+ PT5M points$/);
    const exact = await ask("errors status=500 today");
    expect(exact.filter).toContain("StatusCode eq '500'");
    expect(exact.method).not.toContain("series'");
  });

  it("--plan prints the requests without running them", async () => {
    const r = await cli("ask", "--plan", "--now", NOW, "tokens by deployment 7d");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      requests: [
        // a live window: the resource's newest minutes tell how far data has arrived; the baseline ends in PT1M points so it can be cut to match
        { api: "metrics", resourceId: DEMO_ID, metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan: "2026-11-29T09:45:00Z/2026-11-29T10:00:00Z", window: "current", purpose: "the resource's newest minutes at PT1M, to tell how far Azure Monitor's data has arrived" },
        { api: "metrics", resourceId: DEMO_ID, metricnames: "TokenTransaction", aggregation: "Total", interval: "PT1H", timespan: "2026-11-22T10:00:00Z/2026-11-29T10:00:00Z", filter: "ModelDeploymentName eq '*'", top: 100, orderby: "Total desc", window: "current" },
        { api: "metrics", resourceId: DEMO_ID, metricnames: "TokenTransaction", aggregation: "Total", interval: "FULL", timespan: "2026-11-15T10:00:00Z/2026-11-22T09:45:00Z", filter: "ModelDeploymentName eq '*'", top: 100, orderby: "Total desc", window: "previous" },
        { api: "metrics", resourceId: DEMO_ID, metricnames: "TokenTransaction", aggregation: "Total", interval: "PT1M", timespan: "2026-11-22T09:45:00Z/2026-11-22T10:00:00Z", filter: "ModelDeploymentName eq '*'", top: 100, orderby: "Total desc", window: "previous" },
      ],
      lookups: [
        { api: "metrics", resourceId: DEMO_ID, reads: "metric definitions", metricnamespace: "Microsoft.CognitiveServices/accounts" },
        { api: "metrics", resourceId: DEMO_ID, resultType: "Metadata", reads: "deployment names", metricnames: "AzureOpenAIRequests,AzureOpenAIProvisionedManagedUtilizationV2", filter: "ModelDeploymentName eq '*' and ModelName eq '*'" },
      ],
    });
  });

  it("exits 2 with a message on stderr for a question it can't answer", async () => {
    const r = await cli("ask", "--now", NOW, "what is the weather");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain("I couldn't tell which metric");
    expect(r.err).toContain("Try one of these:");
  });

  it("exits 2 for an unknown deployment and names the known ones", async () => {
    const r = await cli("ask", "--now", NOW, "latency deployment=gpt-5");
    expect(r.code).toBe(2);
    expect(r.err).toContain('There is no deployment named "gpt-5"');
    expect(r.err).toContain("Known deployments: gpt-4o, gpt-4o-mini, gpt-4o-ptu, text-embedding-3-large.");
  });

  it("exits 3 and names the key for bad configuration", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aoai-cli-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "timezone: Nowhere/Land\n");
    const r = await cli("ask", "--config", file, "latency");
    expect(r.code).toBe(3);
    expect(r.err).toContain("Configuration error at timezone");
  });

  it("exits 3 when --source azure has no resources to ask", async () => {
    const r = await cli("ask", "--source", "azure", "latency");
    expect(r.code).toBe(3);
    expect(r.err).toContain("AOAI_RESOURCE_IDS");
  });

  it.each([
    [["ask", "--now", "yesterday-ish", "latency"], "--now must be an ISO 8601 time"],
    [["ask", "--source", "prod", "latency"], '--source must be "demo" or "azure"'],
    [["ask"], "Ask a question"],
    [["frobnicate"], 'Unknown command "frobnicate"'],
    [["ask", "--bogus", "latency"], "Unknown option"],
  ])("exits 2 with usage help for %j", async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it.each([
    [["ask", "--json", "--now", NOW, "what is the weather"], 2, { code: "not_understood", message: 'I couldn\'t tell which metric "what is the weather" is about.' }],
    [["ask", "--json", "--now", NOW, "latency deployment=gpt-5"], 2, { code: "unknown_deployment", hint: "Known deployments: gpt-4o, gpt-4o-mini, gpt-4o-ptu, text-embedding-3-large." }],
    [["ask", "--json", "--now", "soon", "latency"], 2, { code: "usage", message: '--now must be an ISO 8601 time such as 2026-11-29T10:00:00Z, not "soon".' }],
    [["ask", "--plan", "--bogus", "latency"], 2, { code: "usage" }],
    [["ask", "--json", "--source", "azure", "latency"], 3, { code: "bad_config", key: "resources" }],
  ])("--json/--plan failures print a JSON error on stdout with the usual exit code: %j", async (argv, exit, error) => {
    const r = await cli(...argv);
    expect(r.code).toBe(exit);
    expect(JSON.parse(r.out)).toEqual({ error: expect.objectContaining({ ...error, message: expect.any(String) as unknown, ...("message" in error ? { message: error.message } : {}) }) as unknown });
    // the person still reads the message on stderr
    expect(r.err).not.toBe("");
  });

  it("text failures keep stdout empty", async () => {
    const r = await cli("ask", "--now", NOW, "latency deployment=gpt-5");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
  });

  it("lists the metrics the resource reports", async () => {
    const r = await cli("metrics", "--source", "demo");
    expect(r.code).toBe(0);
    expect(r.out).toContain("AzureOpenAIRequests");
    expect(r.out).toContain("ModelDeploymentName");
  });
});

describe("the aoai executable", () => {
  it("runs on the pinned Node and exits with the contract's codes", async () => {
    const run = promisify(execFile);
    const ok = await run(process.execPath, ["bin/aoai.js", "ask", "--json", "--now", NOW, "latency"], { env: { ...process.env, AOAI_RESOURCE_IDS: "" } });
    expect((JSON.parse(ok.stdout) as { answers: unknown[] }).answers).toHaveLength(1);
    const bad = await run(process.execPath, ["bin/aoai.js", "ask", "nonsense words"], { env: { ...process.env, AOAI_RESOURCE_IDS: "" } }).catch((e: unknown) => e as { code: number; stderr: string });
    expect(bad).toMatchObject({ code: 2 });
  });
});
