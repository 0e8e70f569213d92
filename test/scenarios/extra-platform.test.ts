// What a new platform costs: this file and one row. "echo" takes text, asks the one conversation
// entry, and prints the neutral Message with renderText; its reports are printed the same way.
// The whole scenario suite runs through it, next to the Slack, Teams and console drivers.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import type { Platform } from "../../src/app/platform.ts";
import { PLATFORMS } from "../../src/app/platforms.ts";
import { renderText } from "../../src/bot/render-text.ts";
import type { Schedule } from "../../src/schedules/schedule.ts";
import { SCENARIO_NOW, SCENARIOS } from "./scenarios.ts";

interface Echo {
  say(room: string, text: string): Promise<string>;
  readonly printed: string[];
}

const echoPlatform: Platform<Echo, { readonly platform: "echo"; readonly room: string }> = {
  name: "echo",
  target: z.strictObject({ echo: z.string() }).transform((e) => ({ platform: "echo" as const, room: e.echo })),
  targetFor: (place) => (place.channel ? { platform: "echo", room: place.channel } : undefined),
  configure: () =>
    Promise.resolve({
      start: ({ conversation }) => {
        const printed: string[] = [];
        let n = 0;
        const print = (text: string) => `echo-${++n}-${printed.push(text)}`;
        return Promise.resolve({
          handle: { say: async (room, text) => renderText(await conversation.say(text, { platform: "echo", channel: room, user: "tester" })), printed },
          poster: {
            post: (target, m) => Promise.resolve({ target, id: print(renderText(m)) }),
            update: (_ref, m) => Promise.resolve(void print(renderText(m))),
            reply: (ref, m) => Promise.resolve({ target: ref.target, id: print(renderText(m)) }),
          },
          paths: [],
          banner: ["Echo: answering in this test."],
          stop: () => Promise.resolve(),
        });
      },
    }),
};

let proc: BotProcess;
let echo: Echo;

beforeAll(async () => {
  const env = { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-echo-")), "e.sqlite") };
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: SCENARIO_NOW, runSchedules: false, platforms: [...PLATFORMS, echoPlatform] });
  const started = proc.adapter(echoPlatform);
  if (!started) throw new Error("the echo platform did not start");
  echo = started;
});
afterAll(async () => {
  await proc.stop();
});

describe("an extra platform (one file, one row)", () => {
  it.each(SCENARIOS)("$name", async (scenario) => {
    const seen = await echo.say("room-1", scenario.say);
    for (const t of scenario.shows) expect(seen).toContain(t);
    for (const t of scenario.never ?? []) expect(seen).not.toContain(t);
    if (scenario.kind === "error") expect(seen).toContain("⚠️");
  });

  it("makes schedules that post to it, and its reports go through its poster", async () => {
    const created = await echo.say("room-2", "schedule daily 09:00 UTC");
    const id = /Daily summary scheduled: (daily-[0-9a-f]+)/.exec(created)?.[1] ?? "";
    const schedule = (await proc.book.find(id)) as Schedule;
    expect(schedule.post).toEqual([{ platform: "echo", room: "room-2" }]);
    expect(await echo.say("room-2", "schedule list")).toContain(`${id}: summary`);
    await proc.runner.runSlot(schedule, new Date("2026-11-29T09:00:00Z"));
    expect(echo.printed.join("\n")).toContain("Daily summary");
  });

  it("is in the process's platforms, with its banner line", () => {
    expect(proc.platforms.map((p) => p.name)).toEqual(["teams", "console", "web", "echo"]);
    expect(proc.platforms.at(-1)?.running.banner).toEqual(["Echo: answering in this test."]);
  });
});
