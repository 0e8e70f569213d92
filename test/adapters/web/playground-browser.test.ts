// The playground in a real browser (Debian's Chromium driven by playwright-core), against the real
// bot process on the demo: a question is answered in both panes, a button replaces its answer in
// place, a follow-up changes the previous question, a scheduled report arrives in the channel pane,
// and the page logs no errors on the way.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { PLAYGROUND_DEMO_SCHEDULE_NAME } from "../../../src/adapters/web/demo-schedule.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
/** The start flags that work on these machines (../shared/reference/dependencies.md), with a fresh profile each run. */
const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let proc: BotProcess;
let browser: BrowserContext;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  const env = { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-pw-")), "p.sqlite") };
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: NOW, runSchedules: false });
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "aoai-chromium-")), { executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_FLAGS });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
  await page.goto(`http://127.0.0.1:${proc.server.port}/`);
}, 30_000);
afterAll(async () => {
  await browser.close();
  await proc.stop();
});

const answers = () => page.locator(".exchange [data-testid=answer]");

async function ask(text: string): Promise<void> {
  await page.fill("#question", text);
  await page.press("#question", "Enter");
}

describe("the playground in Chromium", () => {
  it("answers in the Slack and the Teams pane, a button replaces the answer in place, follow-ups work, a report reaches the channel, no errors", async () => {
    await page.locator("#channel-status.live").waitFor();

    await ask("latency by deployment last 24h");
    const first = answers().nth(0);
    await first.locator(".slack .bk-header").filter({ hasText: "Latency — last 24 h" }).waitFor();
    await first.locator(".teams .teams-body").filter({ hasText: "Latency — last 24 h" }).waitFor();
    expect(await first.locator(".slack .bk-fields").innerText()).toContain("gpt-4o-mini");
    // the Teams card, drawn by the adaptivecards library, has its buttons
    expect(await first.locator(".teams button").allInnerTexts()).toEqual(expect.arrayContaining(["1h", "24h", "7d"]));
    // the chart: beside the Slack message (as its upload), inside the Teams card (the chart element's picture fallback); both loaded
    const pictures = [first.locator(".slack img.chart").first(), first.locator(".teams .teams-body img").first()];
    for (const img of pictures) {
      await img.waitFor();
      expect(await img.evaluate((e) => new Promise<number>((resolve) => {
        const i = e as unknown as { complete: boolean; naturalWidth: number; addEventListener(t: string, f: () => void): void };
        if (i.complete) resolve(i.naturalWidth);
        else i.addEventListener("load", () => { resolve(i.naturalWidth); });
      }))).toBeGreaterThan(100);
    }

    // Slack's "7d" button: the answer is replaced where it was, not added below
    await first.locator(".slack button.bk-button", { hasText: "7d" }).click();
    await first.locator(".slack .bk-header").filter({ hasText: "Latency — last 7 d" }).waitFor();
    await first.locator(".teams .teams-body").filter({ hasText: "Latency — last 7 d" }).waitFor();
    expect(await answers().count()).toBe(1);
    // and Teams' "24h" action, through Action.Execute
    await first.locator(".teams button", { hasText: "24h" }).click();
    await first.locator(".slack .bk-header").filter({ hasText: "Latency — last 24 h" }).waitFor();
    expect(await answers().count()).toBe(1);

    await ask("and for gpt-4o?");
    const second = answers().nth(1);
    await second.locator(".slack .bk-text").filter({ hasText: "Understood: Latency · gpt-4o · last 24 h" }).first().waitFor();
    await second.locator(".teams .teams-body").filter({ hasText: "gpt-4o" }).waitFor();

    // the demo's report schedule, run for one slot: it is posted to the channel pane while the page is open
    const schedule = await proc.book.find(PLAYGROUND_DEMO_SCHEDULE_NAME);
    expect((await proc.runner.runSlot(schedule!, NOW)).status).toBe("posted");
    const report = page.locator("[data-testid=report]").first();
    await report.locator(".slack .bk-header").filter({ hasText: "Daily summary — aoai-demo" }).waitFor();
    await report.locator(".teams .teams-body").filter({ hasText: "Daily summary — aoai-demo" }).waitFor();

    expect(errors).toEqual([]);
  }, 30_000);
});
