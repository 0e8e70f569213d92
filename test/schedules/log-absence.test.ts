// The log-absence schedule: posts when a deployment's request logs stopped arriving although it was
// called, or when no diagnostic setting routes them to a workspace; stays quiet for an idle one
// (nobody called it: nothing to log). Runs through the real runner, store and console poster;
// Azure is the real SDK clients against loopback fakes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConsoleReportPoster } from "../../src/adapters/console/report-poster.ts";
import { ConfigError } from "../../src/app/config-error.ts";
import { loadConfig } from "../../src/app/config.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import { QueryService } from "../../src/queries/service.ts";
import { ReportRunner } from "../../src/schedules/runner.ts";
import type { Schedule } from "../../src/schedules/schedule.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { fakeCredential } from "../fakes/azure-monitor.ts";
import { ACCOUNT, AbsenceWorld, AT, ROUTED } from "../queries/logs/absence-world.ts";

let world: AbsenceWorld;
let out: string[];
let slot = 0;

beforeEach(async () => {
  world = await new AbsenceWorld().start();
  out = [];
});
afterEach(async () => {
  await world.close();
});

const schedule = (over: Partial<Schedule> = {}): Schedule => ({
  name: `logs-${++slot}`,
  cron: "*/30 * * * *",
  timezone: "UTC",
  report: { kind: "log-absence", deployments: ["gpt-4o"], windowMinutes: 120 },
  post: [{ platform: "console" }],
  paused: false,
  origin: "config",
  ...over,
});

function runner(withLogs = true): ReportRunner {
  const stream = new PassThrough();
  stream.on("data", (chunk: Buffer) => out.push(chunk.toString()));
  const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: world.arm.httpClient(), now: () => AT });
  return new ReportRunner({
    store: new SqliteStore(":memory:"),
    service: new QueryService({ metrics, resourceIds: [ACCOUNT], zone: "UTC", now: () => AT }),
    ...(withLogs ? { logAbsence: world.service() } : {}),
    posters: { console: new ConsoleReportPoster(stream) },
    owner: "test",
    logger: silentLogger,
  });
}

describe("when the log-absence schedule posts", () => {
  it("posts for a stopped pipeline: calls in the metrics, no rows since the last one", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 640 }, rows: [{ deployment: "gpt-4o", rows: 0, lastRow: "2026-11-30T11:20:00Z" }] };
    const outcome = await runner().runSlot(schedule(), AT);
    expect(outcome.status).toBe("posted");
    expect(outcome.detail).toMatch(/^gpt-4o: pipeline stopped: console: posted console-1$/);
    const [report] = outcome.reports;
    expect(report?.title).toBe("Request logs stopped arriving for gpt-4o (no RequestResponse rows in the last 2 h)");
    expect(report?.lines.join(" ")).toContain("Azure Monitor counted **640** requests");
    expect(report?.lines.join(" ")).toContain("the last row arrived at 2026-11-30 11:20 UTC, 2 h 40 min ago");
    expect(report?.tables[0]?.rows).toEqual([["gpt-4o", "pipeline stopped", "640", "0", "⟦2026-11-30T11:20:00.000Z⟧"]]);
    expect(report?.footnotes.some((f) => f.includes("KQL: AzureDiagnostics"))).toBe(true);
    expect(out.join("")).toContain("Request logs stopped arriving for gpt-4o");
  });

  it("posts for a missing diagnostic setting: which setting to create, and that it costs money", async () => {
    world.scenario = { settings: [], requests: { "gpt-4o": 9 }, rows: [] };
    const outcome = await runner().runSlot(schedule(), AT);
    expect(outcome.status).toBe("posted");
    const [report] = outcome.reports;
    expect(report?.title).toBe("Request logs of gpt-4o are not routed to a workspace");
    expect(report?.lines.join(" ")).toContain("az monitor diagnostic-settings create");
    expect(report?.lines.join(" ")).toContain("costs money");
    expect(report?.tables[0]?.rows).toEqual([["gpt-4o", "not routed", "9", "not routed", "none"]]);
  });

  it("does not post for an idle deployment: nobody called it, so no rows is not a logging problem", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o-mini": 70 }, rows: [] };
    const outcome = await runner().runSlot(schedule(), AT);
    expect(outcome).toMatchObject({ status: "nothing-to-post", detail: "gpt-4o: idle", reports: [] });
    expect(out).toEqual([]);
  });

  it("does not post while the deployment is logging", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 70 }, rows: [{ deployment: "gpt-4o", rows: 70, lastRow: "2026-11-30T13:58:00Z" }] };
    expect(await runner().runSlot(schedule(), AT)).toMatchObject({ status: "nothing-to-post", detail: "gpt-4o: logging" });
  });

  it("names every deployment with missing logs in one report, logging ones left out", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 70, "gpt-4o-mini": 30, embeddings: 5 }, rows: [{ deployment: "embeddings", rows: 5, lastRow: "2026-11-30T13:58:00Z" }] };
    const outcome = await runner().preview(schedule({ report: { kind: "log-absence", deployments: [], windowMinutes: 120 } }), AT);
    const [report] = outcome.reports;
    expect(report?.title).toBe("Request logs missing for 2 deployments (last 2 h)");
    expect(report?.tables[0]?.rows.map((r) => r[0])).toEqual(["gpt-4o", "gpt-4o-mini"]);
  });

  it("checks nothing outside business hours", async () => {
    const outcome = await runner().runSlot(schedule({ report: { kind: "log-absence", deployments: ["gpt-4o"], windowMinutes: 120, businessHours: { days: [1, 2, 3, 4, 5], from: "09:00", to: "12:00" } } }), AT);
    expect(outcome).toMatchObject({ status: "nothing-to-post", detail: "outside business hours (Mon-Fri 09:00-12:00 UTC): not checked" });
    expect(world.logQueries()).toHaveLength(0);
  });

  it("says log checks are not configured when the bot process has no log service", async () => {
    const outcome = await runner(false).runSlot(schedule({ name: "logs-unwired" }), AT);
    expect(outcome.status).toBe("posted");
    expect(outcome.reports[0]?.title).toBe("Log checks are not configured");
    expect(outcome.reports[0]?.lines[0]).toContain("Schedule **logs-unwired** checks the request logs (log-absence)");
  });
});

describe("log-absence in configuration", () => {
  const dir = mkdtempSync(join(tmpdir(), "aoai-log-absence-"));
  const load = (entry: string) => {
    const path = join(dir, "c.yaml");
    writeFileSync(path, `schedules:\n  - { name: logs, cron: "*/30 * * * *", report: log-absence, post: [{ console: true }]${entry} }\n`);
    return loadConfig({ file: path, env: {} });
  };
  const error = (entry: string) => {
    try {
      load(entry);
    } catch (err) {
      if (err instanceof ConfigError) return `${err.key}: ${err.message}`;
      throw err;
    }
    return "no error";
  };

  it.each([
    [", deployment: gpt-4o, window: 2h", { kind: "log-absence", deployments: ["gpt-4o"], windowMinutes: 120 }],
    [", deployments: [gpt-4o, gpt-4o-mini], window: 90m, businessHours: Mon-Fri 09:00-18:00", { kind: "log-absence", deployments: ["gpt-4o", "gpt-4o-mini"], windowMinutes: 90, businessHours: { days: [1, 2, 3, 4, 5], from: "09:00", to: "18:00" } }],
    ["", { kind: "log-absence", deployments: [], windowMinutes: 120 }],
  ])("reads %j", (entry, report) => {
    expect(load(entry).schedules[0]?.report).toEqual(report);
  });

  it.each([
    [", deployment: gpt-4o, deployments: [gpt-4o-mini]", 'schedules.0: schedule logs: report "log-absence" takes deployment or deployments, not both'],
    [", window: 5m", 'schedules.0: schedule logs: report "log-absence" needs a window of at least 15m, not 5 min: Log Analytics ingestion lags a few minutes, so a shorter window would report a working pipeline as stopped'],
    [", window: 8d", 'schedules.0: schedule logs: report "log-absence" takes a window of at most 7d (the last log row is looked for over 7 days), not 8 d'],
    [', deployments: [""]', 'schedules.0: schedule logs: report "log-absence" has an empty deployment name; name each deployment, or leave deployments out to check every deployment'],
  ])("refuses %j, saying why", (entry, message) => {
    expect(error(entry)).toBe(message);
  });

  it("names the offending key when the window is not a duration", () => {
    expect(error(", window: two hours")).toMatch(/^schedules\.0\.window: /);
  });
});
