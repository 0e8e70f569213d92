// SIGTERM while a scheduled report is being posted, against the real `npm start` (src/main.ts) in a
// child process: the report is either finished and posted once (the drain had time), or its slot is
// released and the next replica posts it once (the drain ran out); a second SIGTERM exits at once.
// Never half-posted, never twice.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { ledgerKey } from "../../src/schedules/runner.ts";
import { keys } from "../../src/store/keys.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { FakeSlackApi, type HeldCall } from "../fakes/slack-api.ts";
import { SIGNING_SECRET } from "../fakes/slack-request.ts";

let slack: FakeSlackApi;
beforeAll(async () => {
  slack = await new FakeSlackApi().start();
});
afterAll(async () => {
  await slack.close();
});

/** A daily schedule whose slot was five minutes ago, last checked just before it: the bot catches it up as it starts. */
async function dueReport(channel: string) {
  const dir = mkdtempSync(join(tmpdir(), "aoai-sigterm-"));
  const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000);
  const file = join(dir, "aoai.config.yaml");
  writeFileSync(file, `schedules:\n  - name: morning\n    cron: "${slot.getUTCMinutes()} ${slot.getUTCHours()} * * *"\n    timezone: UTC\n    report: summary\n    post:\n      - slack: ${channel}\n`);
  const sqlite = join(dir, "s.sqlite");
  const store = new SqliteStore(sqlite);
  await store.put(keys.scheduleCheck("morning"), JSON.stringify({ at: new Date(slot.getTime() - 60_000).toISOString() }));
  await store.close();
  const env = { AOAI_SQLITE_FILE: sqlite, AOAI_RESOURCE_IDS: "", SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/` };
  return { file, sqlite, env, key: ledgerKey("morning", slot), channel };
}

interface Bot {
  readonly child: ChildProcess;
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  log(): string;
  /** Resolves once stderr has said `text`. */
  said(text: string): Promise<void>;
}

function startBot(run: Awaited<ReturnType<typeof dueReport>>, drainMs: number): Bot {
  const child = spawn(process.execPath, ["src/main.ts", "--config", run.file], { env: { ...process.env, ...run.env, PORT: "0", AOAI_DRAIN_MS: String(drainMs) }, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.on("data", (c: Buffer) => (log += c.toString("utf8")));
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const said = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (log.includes(text)) resolve();
        else if (child.exitCode !== null) reject(new Error(`exited without saying "${text}": ${log}`));
        else setTimeout(check, 20);
      };
      check();
    });
  return { child, exited, log: () => log, said };
}

async function ledger(sqlite: string, key: string) {
  const store = new SqliteStore(sqlite);
  try {
    return await store.getRun(key);
  } finally {
    await store.close();
  }
}

/** The report as it reached the channel: how many messages, and whether each is a whole summary. */
function posted(channel: string): string[] {
  return slack.messages(channel).map((m) => JSON.stringify(m));
}

async function heldReport(run: Awaited<ReturnType<typeof dueReport>>, drainMs: number): Promise<{ bot: Bot; held: HeldCall }> {
  const held = slack.hold("chat.postMessage");
  const bot = startBot(run, drainMs);
  await held.arrived;
  await bot.said("running headless until SIGTERM");
  return { bot, held };
}

describe("SIGTERM during a scheduled report", () => {
  it("lets the report finish within AOAI_DRAIN_MS: posted once, the run done, exit 0", async () => {
    const run = await dueReport("C0TERM1");
    const { bot, held } = await heldReport(run, 15_000);
    bot.child.kill("SIGTERM");
    await bot.said("SIGTERM: stopping");
    // Slack answers the post only now, during the drain
    held.release();
    const [code] = await bot.exited;
    expect(code).toBe(0);
    expect(bot.log()).toContain("Stopped.");
    expect(bot.log()).not.toContain("Released unfinished");
    expect(posted(run.channel)).toHaveLength(1);
    expect(posted(run.channel)[0]).toContain("Daily summary");
    expect(await ledger(run.sqlite, run.key)).toMatchObject({ status: "done", attempt: 1 });
  });

  it("releases the slot when the drain runs out, and the next replica posts the report exactly once", async () => {
    const run = await dueReport("C0TERM2");
    const { bot, held } = await heldReport(run, 300);
    bot.child.kill("SIGTERM");
    const [code] = await bot.exited;
    expect(code).toBe(0);
    expect(bot.log()).toContain(`Released unfinished report slot(s) for another replica: ${run.key}.`);
    const left = await ledger(run.sqlite, run.key);
    expect(left?.status).toBe("claimed");
    // released, not left to run out: its default lease is five minutes
    expect(left?.leaseUntil).toBeLessThanOrEqual(Date.now());
    held.release();

    // another replica on the same store takes the slot over at its next check, and finds the
    // message the first one had sent before it was stopped
    const next = await startBotProcess({ ...loadConfig({ env: {}, file: run.file }), port: 0 }, { env: run.env, host: "127.0.0.1", runSchedules: false, owner: "replica-next" });
    try {
      await next.scheduler.tick();
      expect(await next.store.getRun(run.key)).toMatchObject({ owner: "replica-next", status: "done", attempt: 2 });
      expect((await next.store.getRun(run.key))?.outcome).toContain("already in the channel");
    } finally {
      await next.stop();
    }
    expect(posted(run.channel)).toHaveLength(1);
    expect(posted(run.channel)[0]).toContain("Daily summary");
  });

  it("exits at once, non-zero, on a second SIGTERM during the drain", async () => {
    const run = await dueReport("C0TERM3");
    const { bot, held } = await heldReport(run, 15_000);
    bot.child.kill("SIGTERM");
    await bot.said("SIGTERM: stopping");
    bot.child.kill("SIGTERM");
    const [code] = await bot.exited;
    held.release();
    expect(code).toBe(143);
    expect(bot.log()).toContain("SIGTERM again: exiting now");
    // nothing more was posted; the slot's lease runs out and another replica checks the channel first
    expect(posted(run.channel)).toHaveLength(1);
    expect((await ledger(run.sqlite, run.key))?.status).toBe("claimed");
  });
});
