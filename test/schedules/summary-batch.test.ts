// A scheduled daily summary of several accounts in one region, end to end: the bot process on
// --source azure, its metrics read through the loopback Azure Monitor fake (Metrics - List and
// metrics:getBatch), its reports posted to the Slack fake. The accounts are read together, so
// each of the summary's two requests is one batch call; an account the batch answer leaves out
// gets a report saying so, and the others' reports carry their own figures.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import type { Schedule } from "../../src/schedules/schedule.ts";
import { batchRoute, FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";
import { fleet, fleetMetrics, FLEET_REGION } from "../fakes/metrics-fleet.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { SIGNING_SECRET } from "../fakes/slack-request.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const SLOT = new Date("2026-11-29T06:00:00Z");
const IDS = fleet(4);
const GONE = IDS[2]!;

let slack: FakeSlackApi;
let azure: FakeAzureMonitor;
let bot: BotProcess;
const schedule: Schedule = { name: `fleet-${randomUUID().slice(0, 8)}`, cron: "0 6 * * *", timezone: "UTC", report: { kind: "summary" }, post: [{ platform: "slack", channel: "C0FLEET" }], paused: false, origin: "config" };

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  azure = await new FakeAzureMonitor().start();
  azure.handler = batchRoute(fleetMetrics(new Set([GONE])), { subscriptionAccess: true });
  const config = { ...loadConfig({ env: { AOAI_RESOURCE_IDS: IDS.join(",") }, cwd: "/nonexistent" }), regions: Object.fromEntries(IDS.map((id) => [id.toLowerCase(), FLEET_REGION])), port: 0, schedules: [schedule] };
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-fleet-")), "s.sqlite") };
  bot = await startBotProcess(config, { env, host: "127.0.0.1", source: "azure", now: NOW, runSchedules: false, owner: "fleet", httpClient: azure.httpClient(), credential: fakeCredential });
});
afterAll(async () => {
  await bot.stop();
  await Promise.all([slack.close(), azure.close()]);
});

describe("a scheduled summary of accounts in one region", () => {
  it("reads them in two metrics:getBatch calls and posts one report per account, the one left out saying so", async () => {
    expect((await bot.runner.runSlot(schedule, SLOT)).status).toBe("posted");
    expect(azure.batchRequests()).toHaveLength(2);
    expect(azure.metricsRequests()).toHaveLength(0);
    const texts = slack.posts("chat.postMessage").filter((c) => c.args.channel === "C0FLEET").map((c) => JSON.stringify(c.args));
    expect(texts).toHaveLength(4);
    const of = (name: string) => texts.find((t) => t.includes(`Daily summary — ${name} —`)) ?? "";
    expect(of("aoai-3")).toContain("Could not be read");
    expect(of("aoai-3")).toContain(GONE);
    for (const [name, requests] of [["aoai-1", "101"], ["aoai-2", "202"], ["aoai-4", "404"]] as const) {
      expect(of(name)).not.toContain("Could not be read");
      expect(of(name)).toContain(`Requests: *${requests}*`);
      expect(of(name)).toContain(`metrics:getBatch calls in ${FLEET_REGION}`);
    }
  });
});
