// kill -9 after delivery: a real `aoai report` process is killed between the platform accepting the
// report and the ledger write, then another process takes the slot over once the lease is out.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { ledgerKey } from "../../src/schedules/runner.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { botAdded } from "../adapters/teams/activities.ts";
import { cardOf, FakeBotConnector } from "../fakes/bot-connector.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { SIGNING_SECRET } from "../fakes/slack-request.ts";
import { TcpProxy } from "../fakes/tcp-proxy.ts";

const NOW = "2026-11-29T10:00:00Z";
const SLOT = "2026-11-29T08:00:00.000Z";
const LEASE_MS = 400;
let slack: FakeSlackApi;

function setup(target: string) {
  const dir = mkdtempSync(join(tmpdir(), "aoai-kill-"));
  const file = join(dir, "aoai.config.yaml");
  writeFileSync(file, `schedules:\n  - name: morning\n    cron: "0 9 * * *"\n    timezone: Europe/Berlin\n    report: summary\n    post:\n      - ${target}\n`);
  const sqlite = join(dir, "s.sqlite");
  const env = { ...process.env, AOAI_SQLITE_FILE: sqlite, AOAI_RESOURCE_IDS: "", AOAI_RUN_LEASE_MS: String(LEASE_MS), SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/` };
  return { file, sqlite, env, args: ["bin/aoai.js", "report", "morning", "--config", file, "--now", NOW] };
}

/** Starts `aoai report`, waits until `delivered` says the platform has the report, and kills it with SIGKILL. */
async function killAfterDelivery(run: ReturnType<typeof setup>, delivered: () => Promise<unknown>): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, run.args, { env: run.env, stdio: "ignore" });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  await delivered();
  child.kill("SIGKILL");
  const [, signal] = await exited;
  // the dead replica's lease runs out
  await new Promise((r) => setTimeout(r, LEASE_MS));
  return signal;
}

async function ledger(sqlite: string) {
  const store = new SqliteStore(sqlite);
  try {
    return await store.getRun(ledgerKey("morning", new Date(SLOT)));
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
});
afterAll(async () => {
  await slack.close();
});

describe("a replica killed after delivering its report", () => {
  it("on Slack: the next replica finds the message in the channel by its metadata and does not post again", async () => {
    const run = setup("slack: C0KILL9");
    const held = slack.hold("chat.postMessage");
    const signal = await killAfterDelivery(run, () => held.arrived);
    held.release();
    expect(signal).toBe("SIGKILL");
    expect((await ledger(run.sqlite))?.status).toBe("claimed");

    const next = await promisify(execFile)(process.execPath, run.args, { env: run.env });
    expect(next.stdout).toContain(`morning ${SLOT}: posted — slack:C0KILL9: already in the channel`);
    const history = await new WebClient("xoxb-test", { slackApiUrl: `${slack.url}/api/` }).conversations.history({ channel: "C0KILL9", include_all_metadata: true });
    expect(history.messages).toHaveLength(1);
    expect(history.messages?.[0]?.metadata).toMatchObject({ event_type: "aoai_report", event_payload: { slot: ledgerKey("morning", new Date(SLOT)), part: 0 } });
    expect(await ledger(run.sqlite)).toMatchObject({ status: "done", attempt: 2 });
  });

  it("on Teams: one report and at most a 'may already be above' note, never two reports", async () => {
    const connector = await new FakeBotConnector().start();
    const proxy = await new TcpProxy({ host: "127.0.0.1", port: Number(new URL(connector.url).port) }).start();
    const conversation = "19:kill9@thread.tacv2";
    const run = setup(`teams: "${conversation}"`);
    try {
      // the bot is added to the channel (through the real adapter), which stores the conversation reference
      const greeter = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env: { AOAI_SQLITE_FILE: run.sqlite }, host: "127.0.0.1", source: "demo", runSchedules: false });
      await fetch(`http://127.0.0.1:${greeter.server.port}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(botAdded(`http://127.0.0.1:${proxy.port}/`, conversation)) });
      await connector.waitFor(() => (connector.messages(conversation).length === 1 ? true : undefined));
      await greeter.stop();

      // the Bot Connector takes the report; its answer never reaches the process, which is killed
      proxy.holdResponses();
      const signal = await killAfterDelivery(run, () => connector.waitFor(() => (connector.messages(conversation).length === 2 ? true : undefined), 20_000));
      proxy.resume();
      expect(signal).toBe("SIGKILL");

      const next = await promisify(execFile)(process.execPath, run.args, { env: run.env });
      expect(next.stdout).toContain("may already be above, noted");
      const cards = connector.messages(conversation).map((c) => JSON.stringify(cardOf(c.body)));
      // the greeting, the report, the note
      expect(cards).toHaveLength(3);
      expect(cards.filter((c) => c.includes("Daily summary — aoai-demo"))).toHaveLength(1);
      expect(cards[2]).toContain("morning: the 09:00 summary may already be above");
      expect((await ledger(run.sqlite))?.status).toBe("done");
      // a third run (or replica) says nothing more
      expect((await promisify(execFile)(process.execPath, run.args, { env: run.env })).stdout).toContain(": skipped");
      expect(connector.messages(conversation)).toHaveLength(3);
    } finally {
      await proxy.close();
      await connector.close();
    }
  });
});
