// `aoai ask` for answers that are tables: log templates, raw KQL, the activity log, quota, doctor —
// --plan lists the log queries in the documented shape and --json carries the typed table.
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "./run-cli.ts";

const NOW = "2026-12-01T14:30:00Z";
const DEMO_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aoai-demo/providers/Microsoft.CognitiveServices/accounts/aoai-demo";

interface TableJson {
  readonly kind: string;
  readonly table: { readonly columns: readonly { name: string; type: string }[]; readonly rows: readonly (readonly (string | number | boolean | null)[])[] };
  readonly sources: readonly string[];
  readonly requests: readonly Record<string, unknown>[];
}

describe("aoai ask with table answers", () => {
  it("--plan lists a percentile question's log query as api, workspace, query and timespan, with the bound values", async () => {
    const r = await cli("ask", "--plan", "--now", NOW, "p99 latency for gpt-4o last 24h");
    expect(r.code).toBe(0);
    const { requests } = JSON.parse(r.out) as { requests: { api: string; workspace: string; query: string; timespan: string }[] };
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ api: "logs", workspace: expect.stringMatching(/\/workspaces\/law-aoai-demo$/) as unknown, timespan: "2026-11-30T14:30:00Z/2026-12-01T14:30:00Z" });
    expect(requests[0]?.query).toContain("p99_ms = percentile(DurationMs, 99)");
    expect(requests[0]?.query).toContain('where deployment in~ ("gpt-4o")');
    expect(requests[0]?.query).toContain(`_ResourceId in~ ("${DEMO_ID}")`);
  });

  it("--json carries the table as typed columns and rows; the failed requests are the newest non-2xx calls", async () => {
    const r = await cli("ask", "--json", "--now", NOW, "last 10 failed requests for gpt-4o-mini");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as TableJson;
    expect(json.kind).toBe("logs");
    expect(json.table.columns.map((c) => c.name)).toEqual(["TimeGenerated", "OperationName", "ResultSignature", "DurationMs", "CorrelationId", "deployment"]);
    expect(json.table.columns.find((c) => c.name === "TimeGenerated")?.type).toBe("datetime");
    expect(json.table.rows).toHaveLength(10);
    const times = json.table.rows.map((row) => String(row[0]));
    expect([...times].sort().reverse()).toEqual(times);
    // 13:30–14:40 is gpt-4o-mini's throttling hour in the demo: its newest failures are 429s
    expect(json.table.rows.every((row) => row[2] !== "200" && row[5] === "gpt-4o-mini")).toBe(true);
    expect(json.table.rows.some((row) => row[2] === "429")).toBe(true);
    expect(json.requests[0]).toMatchObject({ api: "logs" });
  });

  it("--json quota names each deployment's limits and peaks, nearest its limit first, and never shows missing data as 0", async () => {
    const r = await cli("ask", "--json", "--now", NOW, "quota");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as TableJson;
    expect(json.kind).toBe("quota");
    const names = json.table.columns.map((c) => c.name);
    expect(names.slice(0, 5)).toEqual(["deployment", "sku", "TPM limit", "peak tokens/min", "% of TPM"]);
    expect(json.table.rows[0]?.[0]).toBe("gpt-4o-mini");
    const tpmShare = names.indexOf("% of TPM");
    const embeddings = json.table.rows.find((row) => row[0] === "gpt-4o-ptu");
    // a provisioned deployment has no TPM limit: no share of one, not 0 %
    expect(embeddings?.[tpmShare]).toBeNull();
    expect(json.requests.some((q) => q.api === "arm" && q.operation === "deployments.list")).toBe(true);
  });

  it("kql is refused on the CLI until `cli` is in kql.allowedUsers, and then says the demo needs a real workspace", async () => {
    const refused = await cli("ask", "--json", "--now", NOW, "kql AzureDiagnostics | take 5");
    expect(refused.code).toBe(2);
    expect((JSON.parse(refused.out) as { error: { code: string } }).error.code).toBe("kql_not_allowed");
    const dir = mkdtempSync(join(tmpdir(), "aoai-kql-"));
    writeFileSync(join(dir, "c.yaml"), "kql:\n  allowedUsers: [cli]\n");
    const demo = await cli("ask", "--json", "--config", join(dir, "c.yaml"), "--now", NOW, "kql AzureDiagnostics | take 5");
    expect(demo.code).toBe(2);
    expect((JSON.parse(demo.out) as { error: { code: string } }).error.code).toBe("kql_needs_workspace");
  });
});
