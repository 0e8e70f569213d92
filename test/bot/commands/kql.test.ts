// `kql <query>`: who may run raw KQL, what reaches the query layer (the query as typed, chat markup
// taken off), and the usage, through the conversation a chat platform calls with the demo's query layer.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/app/config.ts";
import { createQuerySource } from "../../../src/app/query-source.ts";
import type { Place } from "../../../src/bot/asker.ts";
import { Bot } from "../../../src/bot/bot.ts";
import { AccessPolicy } from "../../../src/access/policy.ts";
import { kqlCommand, KQL_DEFAULT_WINDOW, plainQuery, readKql } from "../../../src/bot/commands/kql.ts";
import { Conversation } from "../../../src/bot/conversation.ts";
import { renderText } from "../../../src/bot/render-text.ts";

const NOW = new Date("2026-12-01T10:15:00Z");
const ALICE: Place = { platform: "slack", workspace: "T1", channel: "C1", user: "U0ALICE" };
const BOB: Place = { platform: "slack", workspace: "T1", channel: "C1", user: "U0BOB" };
const TEAMS_CAROL: Place = { platform: "teams", channel: "19:abc", user: "aad-carol" };
const CONSOLE: Place = { platform: "console" };

/** `kql.allowedUsers` as the process folds it into the access policy; Slack's own workspace is T1, Teams runs local-only. */
function policy(allowedUsers: readonly string[]): AccessPolicy {
  const access = new AccessPolicy({ kqlUsers: allowedUsers });
  access.setHome("slack", "T1");
  access.setLocalOnly("teams");
  return access;
}

function conversation(allowedUsers: readonly string[]): Conversation {
  const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW });
  const bot = new Bot(source.service, undefined, { tables: source.tables });
  return new Conversation(bot, [kqlCommand({ maxRows: 50 })], { access: policy(allowedUsers) });
}

describe("who may run raw KQL", () => {
  it.each([
    [ALICE, ["U0ALICE"], true],
    [ALICE, ["slack:U0ALICE"], true],
    [ALICE, ["teams:U0ALICE"], false],
    [BOB, ["U0ALICE", "slack:U0ALICE"], false],
    [TEAMS_CAROL, ["teams:aad-carol"], true],
    [CONSOLE, ["console"], true],
    [CONSOLE, ["cli"], false],
    // a platform's name never lets every one of its users in
    [ALICE, ["slack"], false],
    [ALICE, [], false],
  ] as const)("%j with %j → %s", (place, allowed, may) => {
    expect(policy(allowed).grantFor(place).allows.has("kql")).toBe(may);
  });

  it("refuses anyone else, saying who can grant it and the id to add", async () => {
    const m = await conversation(["U0ALICE"]).say("kql AzureDiagnostics | take 5", BOB);
    expect(m.kind).toBe("error");
    expect(m.title).toBe("Only the people listed in `kql.allowedUsers` may run raw KQL.");
    expect(m.lines.join(" ")).toContain("Whoever runs the bot can allow you by adding `slack:U0BOB` to `kql.allowedUsers` in aoai.config.yaml.");
    expect(m.actions.map((a) => a.followUp.text)).toContain("logs sample");
  });

  it("says raw KQL is off when nobody is listed", async () => {
    expect((await conversation([]).say("kql AzureDiagnostics | take 5", CONSOLE)).title).toBe("Raw KQL is turned off on this bot: `kql.allowedUsers` is empty.");
  });

  it("passes an allowed user's query to the query layer (the demo's workspace answers the built-in questions only)", async () => {
    const m = await conversation(["U0ALICE"]).say("kql AzureDiagnostics | take 5", ALICE);
    expect(m.kind).toBe("error");
    expect(m.title).not.toContain("kql.allowedUsers");
    expect(renderText(m)).toContain("needs a real Log Analytics workspace");
  });

  it("answers a bare kql with its usage, for allowed users", async () => {
    const m = await conversation(["console"]).say("kql", CONSOLE);
    expect(m.kind).toBe("notice");
    expect(m.lines.join(" ")).toContain("`kql --window 1h <query>`");
  });
});

describe("what reaches the query layer", () => {
  it("is the query as typed, over the last 24 hours", () => {
    expect(readKql("AzureDiagnostics | take 5", "slack")).toEqual({ kind: "kql", topic: "Raw KQL", query: "AzureDiagnostics | take 5", window: KQL_DEFAULT_WINDOW, notes: [] });
    expect(readKql("   ", "slack")).toBeUndefined();
  });

  it("takes a leading --window", () => {
    expect(readKql("--window 1h AzureDiagnostics | count", "console")).toMatchObject({ query: "AzureDiagnostics | count", window: { kind: "relative", minutes: 60 } });
    expect(readKql("--window=7d AzureMetrics | take 1", "console")).toMatchObject({ query: "AzureMetrics | take 1", window: { kind: "relative", minutes: 10080 } });
    expect(readKql("--window today AzureMetrics", "console")).toMatchObject({ window: { kind: "today" } });
    expect(() => readKql("--window soon AzureMetrics", "console")).toThrow('"--window soon" is not a window I read.');
  });

  it("takes the code fence off, with or without a language tag", () => {
    expect(plainQuery("```\nAzureDiagnostics\n| where Category == \"RequestResponse\"\n| take 5\n```", "slack")).toBe('AzureDiagnostics\n| where Category == "RequestResponse"\n| take 5');
    expect(plainQuery("```kql\nAzureDiagnostics | take 5\n```", "teams")).toBe("AzureDiagnostics | take 5");
    expect(plainQuery("```AzureDiagnostics | take 5```", "slack")).toBe("AzureDiagnostics | take 5");
    expect(plainQuery("`AzureDiagnostics | take 5`", "slack")).toBe("AzureDiagnostics | take 5");
  });

  it("undoes Slack's escapes and links, and typographic quotes, and nothing else", () => {
    expect(plainQuery("AzureDiagnostics | where DurationMs &gt; 1000 &amp;&amp; Url == \u201c<https://example.com/a|example.com/a>\u201d", "slack")).toBe('AzureDiagnostics | where DurationMs > 1000 && Url == "https://example.com/a"');
    expect(plainQuery("AzureDiagnostics | where x == '&gt;'", "console")).toBe("AzureDiagnostics | where x == '&gt;'");
    // KQL's own characters stay: _ResourceId, *, |
    expect(plainQuery("AzureDiagnostics | where _ResourceId has \"*prod*\"", "slack")).toBe('AzureDiagnostics | where _ResourceId has "*prod*"');
  });

  it("reads a fenced query from the conversation as typed", async () => {
    const m = await conversation(["U0ALICE"]).say("kql ```\nAzureDiagnostics\n| take 5\n```", ALICE);
    expect(renderText(m)).toContain("needs a real Log Analytics workspace");
  });
});
