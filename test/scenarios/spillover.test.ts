// gpt-4o-ptu spills over to gpt-4o in the demo: on a busy afternoon its overflow is served by gpt-4o
// instead of answered 429. "How close is gpt-4o-ptu to its limit?" through `aoai ask --json`, on the
// demo, says how much spilled, and the figures are the ones incident-truth.ts sums from the raw traffic.
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.ts";
import { calls, CODES, covered, DAY, MIN, perMinute, spilled } from "./incident-truth.ts";

/** Tuesday afternoon: gpt-4o-ptu has been at 100 % for much of the day. */
const NOW = new Date("2026-12-01T14:30:00Z");

interface TableJson {
  readonly kind: string;
  readonly lines: readonly string[];
  readonly table: { readonly columns: readonly { readonly name: string }[]; readonly rows: readonly (readonly (string | number | boolean | null)[])[] };
}

async function ask(q: string): Promise<TableJson> {
  const out: string[] = [];
  const code = await runCli(["ask", "--json", "--now", NOW.toISOString(), q], { out: (s) => out.push(s), err: () => undefined, env: {} });
  expect(code).toBe(0);
  return JSON.parse(out.join("\n")) as TableJson;
}

describe("spillover in the demo", () => {
  it("quota for gpt-4o-ptu says how much of what it was sent spilled to gpt-4o, and shows no 429s", async () => {
    const day = covered({ start: NOW.getTime() - DAY, end: NOW.getTime() }, NOW);
    const moved = spilled({ deployments: ["gpt-4o"], codes: CODES }, day, NOW);
    const own = calls({ deployments: ["gpt-4o-ptu"], codes: CODES }, day, NOW);
    expect(moved).toBeGreaterThan(1000);
    expect(calls({ deployments: ["gpt-4o-ptu"], codes: ["429"] }, day, NOW)).toBe(0);

    const a = await ask("how close is gpt-4o-ptu to its limit?");
    expect(a.kind).toBe("quota");
    const names = a.table.columns.map((c) => c.name);
    const row = a.table.rows.find((r) => r[0] === "gpt-4o-ptu");
    const share = Math.round((1000 * moved) / (own + moved)) / 10;
    expect(row?.[names.indexOf("429s")]).toBe(0);
    expect(row?.[names.indexOf("spillover %")]).toBe(share);
    expect(row?.[names.indexOf("PTU utilisation peak %")]).toBe(100);
    const fmt = (v: number) => v.toLocaleString("en-US", { maximumFractionDigits: 1 });
    expect(a.lines).toContain(`gpt-4o-ptu sent ${fmt(share)} % of its requests (${fmt(moved)} of ${fmt(own + moved)}) to gpt-4o (spillover).`);
  });

  it("counts the spilled requests in gpt-4o's busiest minute and its 429s, as the metrics do", async () => {
    const day = covered({ start: NOW.getTime() - DAY, end: NOW.getTime() }, NOW);
    const a = await ask("quota");
    const names = a.table.columns.map((c) => c.name);
    const row = a.table.rows.find((r) => r[0] === "gpt-4o");
    const served = perMinute({ deployments: ["gpt-4o"], codes: CODES }, day, NOW);
    const peak = Math.max(...served.map((m) => m.calls));
    const ownPeak = Math.max(...served.map((m) => m.calls - spilled({ deployments: ["gpt-4o"], codes: CODES }, { start: m.t, end: m.t + MIN }, NOW)));
    expect(row?.[names.indexOf("peak requests/min")]).toBe(peak);
    expect(peak).toBeGreaterThan(ownPeak);
    expect(row?.[names.indexOf("429s")]).toBe(calls({ deployments: ["gpt-4o"], codes: ["429"] }, day, NOW));
    // spilled requests are served as gpt-4o's own: almost all succeed
    expect(spilled({ deployments: ["gpt-4o"], codes: ["200"] }, day, NOW)).toBeGreaterThan(0.95 * spilled({ deployments: ["gpt-4o"], codes: CODES }, day, NOW));
  });
});
