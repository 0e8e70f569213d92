// The playground's API through the real bot process on the demo: a question comes back rendered
// three ways (text, the Block Kit Slack gets, the card Teams gets), a button's follow-up replaces
// the answer it was on, follow-ups work through the store, reports reach the channel pane by
// Server-Sent Events, and nothing is served to callers that are not on this machine.
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { ConfigError } from "../../../src/app/config-error.ts";
import { refusal } from "../../../src/adapters/web/loopback-guard.ts";
import { webPlatform } from "../../../src/adapters/web/platform.ts";
import type { Renderings } from "../../../src/adapters/web/renderings.ts";
import { PLAYGROUND_DEMO_SCHEDULE_NAME } from "../../../src/adapters/web/demo-schedule.ts";
import type { FeedEvent } from "../../../src/adapters/web/report-feed.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
let proc: BotProcess;
let base: string;

const sqlite = () => join(mkdtempSync(join(tmpdir(), "aoai-web-")), "w.sqlite");
const start = (env: NodeJS.ProcessEnv, host = "127.0.0.1") => startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env: { AOAI_SQLITE_FILE: sqlite(), ...env }, host, source: "demo", now: NOW, runSchedules: false });

beforeAll(async () => {
  // every interface: the guard, not the bind address, keeps other machines out
  proc = await start({}, "0.0.0.0");
  base = `http://127.0.0.1:${proc.server.port}`;
});
afterAll(async () => {
  await proc.stop();
});

async function post(path: string, body: unknown): Promise<{ status: number; json: Renderings & { error?: string } }> {
  const res = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Renderings & { error?: string } };
}

type Button = { action_id?: string; value?: string; text: { text: string } };
type CardAction = { type: string; title: string; verb?: string; data?: { followUp?: unknown } };

function slackButton(r: Renderings, label: string): Button {
  const buttons = r.slack.blocks.flatMap((b) => (b.type === "actions" ? (b.elements as Button[]) : []));
  const found = buttons.find((b) => b.text.text === label);
  if (!found) throw new Error(`no "${label}" button among ${buttons.map((b) => b.text.text).join(", ")}`);
  return found;
}

function teamsAction(r: Renderings, title: string): CardAction {
  const found = (r.teams.actions as CardAction[]).find((a) => a.title === title);
  if (!found) throw new Error(`no "${title}" action`);
  return found;
}

/** A request with headers fetch will not let us set (Host), to a given address. */
function raw(url: string, headers: Record<string, string>, method = "GET", body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** An event stream read until a whole event of `kind` has arrived (or it ended). */
async function readUntil(res: Response, kind: string): Promise<string> {
  const whole = new RegExp(`event: ${kind}\ndata: .*\n\n`);
  let stream = "";
  const decoder = new TextDecoder();
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    stream += decoder.decode(chunk, { stream: true });
    if (whole.test(stream)) break;
  }
  return stream;
}

describe("asking in the playground", () => {
  it("answers with the text, the Block Kit payload (and its HTML) and the Adaptive Card of the same Message", async () => {
    const { status, json } = await post("/playground/say", { text: "latency by deployment last 24h" });
    expect(status).toBe(200);
    expect(json.text).toContain("Latency — last 24 h");
    expect(json.text).toContain("gpt-4o-mini");
    expect(json.slack.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Latency — last 24 h", emoji: true } });
    expect(json.slackHtml).toContain('<div class="bk-header">Latency — last 24 h</div>');
    expect(json.slackHtml).toContain('data-action-id="aoai_window_10080"');
    expect(json.teams).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
    expect(teamsAction(json, "7d")).toMatchObject({ type: "Action.Execute", verb: "aoai.followUp" });
    expect(json.charts.length).toBeGreaterThan(0);
  });

  it("draws the chart once: a PNG at an unguessable chart URL for the Slack pane, and the Teams card's chart element with the picture as its fallback", async () => {
    const { json } = await post("/playground/say", { text: "latency by deployment last 24h" });
    const [picture] = json.charts;
    expect(picture?.url).toMatch(/^\/playground\/charts\/[0-9a-f-]{36}\.png$/);
    expect(picture?.title).toContain("by deployment");
    const png = await fetch(`${base}${picture?.url ?? ""}`);
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString("latin1")).toBe("PNG");
    const chart = json.teams.body.find((e) => e.type === "Chart.Line") as { fallback?: { type?: string; url?: string } } | undefined;
    expect(chart?.fallback?.type).toBe("Image");
    expect(chart?.fallback?.url).toMatch(/^data:image\/png;base64,/);
  });

  it("answers a Slack button's value and a Teams action's data with the same follow-up: the question over 7 days", async () => {
    const first = (await post("/playground/say", { text: "latency by deployment last 24h" })).json;
    const slack = await post("/playground/press", { followUp: slackButton(first, "7d").value });
    expect(slack.status).toBe(200);
    expect(slack.json.text).toContain("Latency — last 7 d");
    const teams = await post("/playground/press", { followUp: teamsAction(first, "7d").data?.followUp });
    expect(teams.status).toBe(200);
    expect(teams.json.text).toContain("Latency — last 7 d");
    expect(teams.json.slackHtml).toContain("last 7 d");
  });

  it("keeps the conversation: a follow-up changes the previous question", async () => {
    await post("/playground/say", { text: "latency by deployment last 24h" });
    const { json } = await post("/playground/say", { text: "and for gpt-4o?" });
    expect(json.text).toMatch(/Understood: Latency · gpt-4o · last 24 h/);
  });

  it("refuses a body that is no question and a follow-up this bot did not make", async () => {
    expect((await post("/playground/say", {})).status).toBe(400);
    expect((await post("/playground/say", { text: "   " })).status).toBe(400);
    expect((await post("/playground/press", { followUp: '{"kind":"rm -rf","text":"x"}' })).status).toBe(400);
    expect((await post("/playground/press", {})).status).toBe(400);
  });

  it("serves the page and its assets from this process only: no external scripts, styles or pictures", async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'; script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    for (const asset of ["/playground/playground.js", "/playground/playground.css", "/playground/adaptivecards.js"]) {
      const res = await fetch(`${base}${asset}`);
      expect(res.status, asset).toBe(200);
      expect((await res.text()).length, asset).toBeGreaterThan(100);
    }
    expect((await fetch(`${base}/playground/nothing-here.js`)).status).toBe(404);
    expect((await fetch(`${base}/playground/charts/00000000-0000-0000-0000-000000000000.png`)).status).toBe(404);
  });

  it("says its URL in the start banner", () => {
    const web = proc.platforms.find((p) => p.name === "web");
    expect(web?.running.banner.join("\n")).toContain(`http://127.0.0.1:${proc.server.port}/`);
  });
});

describe("the channel pane", () => {
  it("gets a scheduled report as it is posted, over Server-Sent Events, and the demo's schedule posts there", async () => {
    const schedule = await proc.book.find(PLAYGROUND_DEMO_SCHEDULE_NAME);
    expect(schedule).toMatchObject({ cron: "*/2 * * * *", report: { kind: "summary" }, post: [{ platform: "web" }] });
    const abort = new AbortController();
    const res = await fetch(`${base}/playground/events`, { signal: abort.signal });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const outcome = await proc.runner.runSlot(schedule!, NOW);
    expect(outcome.status).toBe("posted");
    const stream = await readUntil(res, "post");
    abort.abort();
    const data = /event: post\ndata: (.*)\n/.exec(stream)?.[1];
    const event = JSON.parse(data ?? "{}") as FeedEvent;
    expect(event.message.text).toContain("Daily summary — aoai-demo");
    expect(event.message.slackHtml).toContain("Daily summary — aoai-demo");
    expect(event.message.teams.type).toBe("AdaptiveCard");
  });

  it("replays the channel's recent reports to a page opened later", async () => {
    const abort = new AbortController();
    const res = await fetch(`${base}/playground/events`, { signal: abort.signal });
    const stream = await readUntil(res, "post");
    abort.abort();
    expect(stream).toContain("Daily summary — aoai-demo");
  });

  it("is where a schedule made in the playground posts", async () => {
    const { json } = await post("/playground/say", { text: "schedule daily 09:00 UTC" });
    expect(json.text).toMatch(/schedule/i);
    const made = (await proc.book.all()).filter((s) => s.origin === "chat");
    expect(made.map((s) => s.post)).toEqual([[{ platform: "web" }]]);
  });
});

describe("loopback only", () => {
  const other = Object.values(networkInterfaces()).flat().find((i) => i !== undefined && !i.internal && i.family === "IPv4")?.address;

  it("refuses callers from another address with 403, and leaves the server's other routes alone", async () => {
    // the guard's own verdicts, whatever this machine's interfaces are
    expect(refusal({ socket: { remoteAddress: "192.0.2.7" }, headers: { host: "127.0.0.1:3978" } })).toMatch(/this machine only/);
    expect(refusal({ socket: { remoteAddress: "::ffff:10.1.2.3" }, headers: { host: "127.0.0.1:3978" } })).toMatch(/this machine only/);
    expect(refusal({ socket: { remoteAddress: "::ffff:127.0.0.1" }, headers: { host: "localhost:3978" } })).toBeUndefined();
    expect(refusal({ socket: { remoteAddress: "::1" }, headers: { host: "[::1]:3978" } })).toBeUndefined();
    if (other !== undefined) {
      // a real request arriving on this machine's network address (the server listens on 0.0.0.0)
      const url = `http://${other}:${proc.server.port}`;
      for (const path of ["/", "/playground/playground.js", "/playground/events"]) expect(await raw(`${url}${path}`, { host: `127.0.0.1:${proc.server.port}` }), path).toBe(403);
      expect(await raw(`${url}/playground/say`, { host: `127.0.0.1:${proc.server.port}`, "content-type": "application/json" }, "POST", '{"text":"help"}')).toBe(403);
      expect(await raw(`${url}/healthz`, {})).toBe(200);
    }
  });

  it("refuses a page on another site that reaches 127.0.0.1 (a rebound DNS name, a cross-site form)", async () => {
    const port = proc.server.port;
    expect(await raw(`${base}/`, { host: `evil.example:${port}` })).toBe(403);
    expect(await raw(`${base}/playground/say`, { host: `127.0.0.1:${port}`, origin: "https://evil.example", "content-type": "application/json" }, "POST", '{"text":"help"}')).toBe(403);
    expect(await raw(`${base}/playground/say`, { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, "content-type": "application/json" }, "POST", '{"text":"help"}')).toBe(200);
  });
});

describe("when the playground runs", () => {
  it("runs with no chat credentials, not with Slack's unless PLAYGROUND=1, never with PLAYGROUND=0, and refuses other values", async () => {
    const config = { ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 };
    const configure = (env: NodeJS.ProcessEnv) => webPlatform.configure({ config, env, options: {} });
    const slack = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" };
    expect(await configure({})).toBeDefined();
    expect(await configure(slack)).toBeUndefined();
    expect(await configure({ ...slack, PLAYGROUND: "1" })).toBeDefined();
    expect(await configure({ PLAYGROUND: "0" })).toBeUndefined();
    expect(await webPlatform.configure({ config, env: {}, options: { teams: { authConfig: { clientId: "00000000-0000-0000-0000-000000000001", tenantId: "t", clientSecret: "s" } } } })).toBeUndefined();
    await expect(configure({ PLAYGROUND: "yes" })).rejects.toThrow(ConfigError);
  });

  it("is off with PLAYGROUND=0: no page, no demo schedule", async () => {
    const off = await start({ PLAYGROUND: "0" });
    try {
      expect(off.platforms.map((p) => p.name)).not.toContain("web");
      expect((await fetch(`http://127.0.0.1:${off.server.port}/`)).status).toBe(404);
      expect(await off.book.find(PLAYGROUND_DEMO_SCHEDULE_NAME)).toBeUndefined();
    } finally {
      await off.stop();
    }
  });
});
