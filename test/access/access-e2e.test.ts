// The access table (access-table.ts) through the real surfaces of one bot process on the demo source:
// Slack (Bolt over HTTP, signed events, the fake Web API whose auth.test names the bot's workspace),
// Teams (the Agents SDK's CloudAdapter with Bot Framework tokens from the fake identity provider,
// replies to the fake Bot Connector) and the console. Allowed turns get the demo's figures; denied
// ones get the refusal naming the rule and the contact, and nothing about the deployments. Then a
// restricted channel: split tables, "did you mean", verdicts, follow-ups, a hostile button and a
// scheduled daily summary show only the deployments its rule allows.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAuthConfigWithDefaults } from "@microsoft/agents-hosting";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import type { Place } from "../../src/bot/asker.ts";
import { encodeFollowUp } from "../../src/bot/follow-up.ts";
import { renderText } from "../../src/bot/render-text.ts";
import type { Schedule } from "../../src/schedules/schedule.ts";
import { cardOf, FakeBotConnector, fakeOutboundConnections } from "../fakes/bot-connector.ts";
import { FakeIdentityProvider } from "../fakes/identity-provider.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { blockAction, eventCallback, sendSigned, SIGNING_SECRET } from "../fakes/slack-request.ts";
import { visibleText } from "../scenarios/visible-text.ts";
import { cliIn } from "../cli/run-cli.ts";
import { BOT } from "../adapters/teams/activities.ts";
import { ACCESS_CONFIG, ACCESS_RULES, ACCESS_TABLE, CONTACT, HIDDEN, KQL_USERS, SLACK_HOME, TEAMS_HOME, type AccessRow } from "./access-table.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const APP_ID = "0b5a4c2e-1111-4a3b-9c8d-0000000aa001";
let slack: FakeSlackApi;
let connector: FakeBotConnector;
let idp: FakeIdentityProvider;
let proc: BotProcess;
let events = "";
let teamsEndpoint = "";
let ts = 1764400000;
let n = 0;

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  connector = await new FakeBotConnector().start();
  idp = await new FakeIdentityProvider().start();
  const authConfig = getAuthConfigWithDefaults({ clientId: APP_ID, tenantId: idp.tenant, authorityEndpoint: idp.authority });
  const base = loadConfig({ env: {}, cwd: "/nonexistent" });
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-access-")), "a.sqlite"), PLAYGROUND: "0" };
  proc = await startBotProcess(
    { ...base, port: 0, access: { contact: CONTACT, rules: ACCESS_RULES }, kql: { ...base.kql, allowedUsers: KQL_USERS } },
    { env, host: "127.0.0.1", source: "demo", now: NOW, runSchedules: false, teams: { authConfig, outboundConnections: fakeOutboundConnections(authConfig) } },
  );
  events = `http://127.0.0.1:${String(proc.server.port)}/slack/events`;
  teamsEndpoint = `http://127.0.0.1:${String(proc.server.port)}/api/messages`;
});
afterAll(async () => {
  await proc.stop();
  await slack.close();
  await connector.close();
  await idp.close();
});

/** Mentions the bot in a Slack channel as `where`'s person (of `where.org` in a Slack Connect channel); what the threaded reply shows. */
async function inSlack(where: Place, text: string): Promise<{ seen: string; blocks: unknown; ts: string }> {
  const own = `${String(++ts)}.000100`;
  const channel = where.channel ?? "C0GEN";
  await sendSigned(events, eventCallback({ type: "app_mention", user: where.user, text: `<@UBOT> ${text}`, ts: own, channel, event_ts: own, ...(where.org ? { user_team: where.org } : {}) }));
  const reply = await slack.waitFor(() => {
    const m = slack.messages(channel).find((x) => x.threadTs === own);
    return m && !visibleText(m.blocks).includes("Working on") ? m : undefined;
  });
  return { seen: visibleText(reply.blocks), blocks: reply.blocks, ts: own };
}

/** Sends a Teams message from `where` (its tenant in channelData, a team's channel or a personal chat) with a valid token; the card's text. */
async function inTeams(where: Place, text: string): Promise<string> {
  const id = `msg-access-${String(++n)}`;
  const conversation = where.team ? { id: `${where.channel ?? ""};messageid=${String(n)}`, conversationType: "channel", isGroup: true, tenantId: where.workspace } : { id: `a:${where.user ?? ""}-${String(n)}`, conversationType: "personal", tenantId: where.workspace };
  const activity = {
    type: "message",
    id,
    timestamp: new Date().toISOString(),
    channelId: "msteams",
    serviceUrl: connector.url,
    from: { id: `29:${where.user ?? ""}`, name: "Someone", aadObjectId: where.user },
    recipient: BOT,
    conversation,
    channelData: { tenant: { id: where.workspace }, ...(where.team ? { team: { id: where.team }, channel: { id: where.channel } } : {}) },
    locale: "en-US",
    text,
  };
  const token = idp.token({ aud: APP_ID, serviceurl: connector.url, tid: TEAMS_HOME });
  const res = await fetch(teamsEndpoint, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(activity) });
  expect(res.status).toBe(200);
  const reply = await connector.waitFor(() => connector.calls.find((c) => c.activityId === id && c.body.type === "message" && cardOf(c.body) !== undefined));
  return visibleText(cardOf(reply.body));
}

async function onConsole(text: string): Promise<string> {
  return renderText(await proc.conversation.say(text, { platform: "console" }));
}

function through(row: AccessRow): Promise<string> {
  if (row.where.platform === "slack") return inSlack(row.where, row.say).then((r) => r.seen);
  if (row.where.platform === "teams") return inTeams(row.where, row.say);
  return onConsole(row.say);
}

describe("the access table, through Slack, Teams and the console", () => {
  it("has the bot's own Slack workspace from auth.test and the configured Teams tenant as homes", () => {
    expect(proc.access.home("slack")).toBe(SLACK_HOME);
    expect(proc.access.home("teams")).toBe(TEAMS_HOME);
    expect(ACCESS_CONFIG.rules).toHaveLength(ACCESS_RULES.length);
  });

  it.each(ACCESS_TABLE)("$name", async (row) => {
    const seen = await through(row);
    for (const text of row.shows) expect(seen).toContain(text);
    if (!row.allowed) {
      // a refusal names no deployment the asker may not see and no resource
      for (const name of [...HIDDEN, "aoai-demo"]) expect(seen).not.toContain(name);
    } else {
      expect(seen).not.toContain("You can't use");
    }
  });
});

describe("button presses", () => {
  it("are refused to a person of another organisation (user.team_id in a Slack Connect channel), help included", async () => {
    for (const followUp of [{ kind: "window", text: "latency", minutes: 1440 }, { kind: "window", text: "help", minutes: 60 }, { kind: "ask", text: "tokens by deployment" }] as const) {
      const url = `${slack.url}/hooks/stranger-${String(++n)}`;
      await sendSigned(events, blockAction({ type: "block_actions", team: { id: SLACK_HOME }, user: { id: "U0STRANGER", team_id: "T0OTHER" }, channel: { id: "C0GEN" }, container: { type: "message", is_ephemeral: true, channel_id: "C0GEN" }, response_url: url, actions: [{ type: "button", action_id: "aoai_x", block_id: "aoai_follow_up", value: encodeFollowUp(followUp), action_ts: "1" }] }));
      const posted = await slack.waitFor(() => slack.responses.find((r) => url.endsWith(r.path)));
      const seen = visibleText(posted.body.blocks);
      expect(seen).toContain("the default policy (only people of this Slack workspace may ask) allows nothing");
      for (const name of [...HIDDEN, "gpt-4o", "aoai-demo"]) expect(seen).not.toContain(name);
    }
  });
});

describe("the access table's console rows, through `aoai ask` with the same configuration", () => {
  const file = join(mkdtempSync(join(tmpdir(), "aoai-access-cli-")), "aoai.config.yaml");
  // JSON is YAML: the rules as the operator's file holds them
  writeFileSync(file, JSON.stringify({ access: ACCESS_CONFIG, kql: { allowedUsers: KQL_USERS } }));
  // a schedule typed at the CLI has nowhere to post; the other console rows read the same there
  const rows = ACCESS_TABLE.filter((r) => r.where.platform === "console" && r.needs !== "schedule");

  it.each(rows)("$name", async (row) => {
    const run = await cliIn({}, "ask", "--source", "demo", "--now", NOW.toISOString(), "--config", file, row.say);
    const seen = `${run.out}\n${run.err}`;
    expect(run.code).toBe(row.allowed ? 0 : 2);
    for (const text of row.shows) expect(seen).toContain(text);
  });
});

describe("a channel restricted to gpt-4o and gpt-4o-mini (rule \"payments\")", () => {
  const pay: Place = { platform: "slack", workspace: SLACK_HOME, channel: "C0PAY", user: "U0ANY" };

  it("splits by deployment into the visible deployments only", async () => {
    const { seen } = await inSlack(pay, "calls by deployment 24h");
    expect(seen).toContain("*gpt-4o-mini*");
    expect(seen).toContain("*gpt-4o*");
    for (const name of HIDDEN) expect(seen).not.toContain(name);
  });

  it("answers a hidden deployment as one that does not exist, suggesting only visible ones", async () => {
    const { seen } = await inSlack(pay, "latency for deployment gpt-4o-ptv");
    expect(seen).toContain('There is no deployment named "gpt-4o-ptv"');
    expect(seen).toContain("Known deployments: gpt-4o, gpt-4o-mini.");
    for (const name of HIDDEN) expect(seen).not.toContain(name);
  });

  it("gives a verdict over the visible deployments only", async () => {
    const { seen } = await inSlack(pay, "is anything wrong?");
    expect(seen).toContain("All 2 deployments look normal");
    expect(seen).toContain("*gpt-4o-mini*");
    for (const name of HIDDEN) expect(seen).not.toContain(name);
  });

  it("refuses a follow-up that names a hidden deployment", async () => {
    const first = await inSlack(pay, "latency last hour");
    const own = `${String(++ts)}.000100`;
    await sendSigned(events, eventCallback({ type: "app_mention", user: pay.user, text: "<@UBOT> what about gpt-4o-ptu?", ts: own, channel: "C0PAY", event_ts: own, thread_ts: first.ts }));
    const reply = await slack.waitFor(() => slack.messages("C0PAY").find((m) => m.threadTs === first.ts && m.ts !== slack.messages("C0PAY").find((x) => x.threadTs === first.ts)?.ts && !visibleText(m.blocks).includes("Working on")));
    const seen = visibleText(reply.blocks);
    expect(seen).not.toContain("Time to response · gpt-4o-ptu");
    expect(seen).not.toContain("text-embedding-3-large");
    expect(seen).not.toContain("ModelDeploymentName eq 'gpt-4o-ptu'");
  });

  it("refuses a pressed button whose payload names a hidden deployment, like an unknown one", async () => {
    const hostile = encodeFollowUp({
      kind: "window",
      text: "latency",
      minutes: 1440,
      question: { topic: "Latency", asks: [{ metric: "AzureOpenAITimeToResponse", aggregation: "Average", label: "Time to response" }], window: { kind: "relative", minutes: 60 }, filters: { ModelDeploymentName: ["gpt-4o-ptu"] }, notes: [] },
    });
    const url = `${slack.url}/hooks/hostile-${String(++n)}`;
    await sendSigned(events, blockAction({ type: "block_actions", team: { id: SLACK_HOME }, user: { id: "U0ANY", team_id: SLACK_HOME }, channel: { id: "C0PAY" }, container: { type: "message", is_ephemeral: true, channel_id: "C0PAY" }, response_url: url, actions: [{ type: "button", action_id: "aoai_window_1440", block_id: "aoai_follow_up", value: hostile, action_ts: "1" }] }));
    const posted = await slack.waitFor(() => slack.responses.find((r) => url.endsWith(r.path)));
    const seen = visibleText(posted.body.blocks);
    expect(seen).toContain('There is no deployment named "gpt-4o-ptu"');
    expect(seen).toContain("Known deployments: gpt-4o, gpt-4o-mini.");
    expect(seen).not.toContain("text-embedding-3-large");
    expect(seen).not.toMatch(/Time to response[^\n]*\d+ ms/);
  });

  it("checks prerequisites (doctor) of the visible deployments only, for the one allowed to", async () => {
    const { seen } = await inSlack({ ...pay, user: "U0LEAD" }, "doctor");
    expect(seen).toContain("Prerequisites");
    expect(seen).toContain("2 deployments");
    for (const name of HIDDEN) expect(seen).not.toContain(name);
  });

  it("posts a scheduled daily summary there with the visible deployments only", async () => {
    const schedule: Schedule = { name: "payments-daily", cron: "0 9 * * *", timezone: "UTC", report: { kind: "summary" }, post: [{ platform: "slack", channel: "C0PAY" }], paused: false, origin: "config" };
    const before = slack.messages("C0PAY").length;
    const outcome = await proc.runner.runSlot(schedule, new Date("2026-11-29T09:00:00Z"));
    expect(outcome.status).toBe("posted");
    const seen = outcome.reports.map((r) => renderText(r)).join("\n");
    expect(seen).toContain("gpt-4o-mini");
    for (const name of HIDDEN) expect(seen).not.toContain(name);
    const inChannel = slack.messages("C0PAY").slice(before).map((m) => visibleText(m.blocks)).join("\n");
    expect(inChannel).toContain("gpt-4o-mini");
    for (const name of HIDDEN) expect(inChannel).not.toContain(name);
  });

  it("posts nothing to a channel whose rule does not allow asking, and records why", async () => {
    const schedule: Schedule = { name: "locked-daily", cron: "0 9 * * *", timezone: "UTC", report: { kind: "summary" }, post: [{ platform: "slack", channel: "C0LOCKED" }], paused: false, origin: "config" };
    const before = slack.messages("C0LOCKED").length;
    const outcome = await proc.runner.runSlot(schedule, new Date("2026-11-29T09:00:00Z"));
    expect(outcome.status).toBe("failed");
    expect(outcome.detail).toContain('rule "locked" does not allow ask there');
    expect(slack.messages("C0LOCKED")).toHaveLength(before);
  });
});
