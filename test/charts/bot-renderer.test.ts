// A real bot process (Bolt against the loopback Slack fake) drawing a chart answer's PNG: the
// picture is drawn by a renderer process of the bot's (not in the bot), which is not there before
// the first chart, and the bot's stop leaves no process behind.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { eventCallback, sendSigned, SIGNING_SECRET } from "../fakes/slack-request.ts";

let slack: FakeSlackApi;
beforeAll(async () => {
  slack = await new FakeSlackApi().start();
});
afterAll(async () => {
  await slack.close();
});

/** This process's children that run the chart renderer (Linux /proc: parent pid and command line). */
function renderers(): number[] {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8");
      return ppid === process.pid && cmd.includes("renderer-entry.ts") ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
}

describe("a bot process's chart pictures", () => {
  it("are drawn by a renderer process started on the first chart, and stopping the bot leaves none", { timeout: 60_000 }, async () => {
    const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-renderer-")), "s.sqlite") };
    const config = { ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 };
    const p = await startBotProcess(config, { env, host: "127.0.0.1", source: "demo", now: new Date("2026-11-29T10:00:00Z"), runSchedules: false, logger: silentLogger });
    try {
      expect(renderers()).toEqual([]);
      const ts = "1764401000.000100";
      const res = await sendSigned(`http://127.0.0.1:${p.server.port}/slack/events`, eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> latency by deployment last 24h", ts, channel: "CRENDER", event_ts: ts }));
      expect(res.status).toBe(200);
      const file = await slack.waitFor(() => slack.sharedFiles().find((f) => f.channel === "CRENDER"));
      expect(file.bytes?.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect(renderers()).toHaveLength(1);
    } finally {
      await p.stop();
    }
    expect(renderers()).toEqual([]);
  });
});
