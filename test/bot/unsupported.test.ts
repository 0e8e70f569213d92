// Never a silent substitute: a question about something the bot can't read yet (alerts, an unread
// time phrase, spend without prices) is refused with the closest answerable questions, through the
// parser and through the conversation a chat platform calls. Quota and the logs are answered now
// (with a table: test/bot/table-parse.test.ts), never as another metric.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import type { Place } from "../../src/bot/asker.ts";
import { Bot } from "../../src/bot/bot.ts";
import { Conversation } from "../../src/bot/conversation.ts";
import { parse } from "../../src/bot/parse.ts";
import { renderText } from "../../src/bot/render-text.ts";
import { UnreadTimeError } from "../../src/bot/unread-words.ts";
import { CannotAnswerYetError, UNSUPPORTED_TOPICS } from "../../src/bot/unsupported.ts";
import { UserError } from "../../src/queries/errors.ts";
import { DEFAULT_WINDOW } from "../../src/queries/question.ts";

const ctx = { deployments: ["gpt-4o", "gpt-4o-mini", "text-embedding-3-large", "gpt-4o-ptu"] };
const NOW = new Date("2026-12-01T14:30:00Z");
const CONSOLE: Place = { platform: "console" };

function refusal(text: string): UserError {
  try {
    parse(text, ctx);
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error(`"${text}" was answered`);
}

/** The misreads of the issue and their kin: each is refused as the topic it is about. */
const CANT_YET: readonly (readonly [string, string])[] = [
  ["any alerts firing?", "alerts"],
  ["which alert rules fired today", "alerts"],
  ["is an alarm going off for gpt-4o", "alerts"],
  ["list the action groups", "alerts"],
];

/** What was refused before, now a table question of its kind: never a metric figure standing in. */
const ANSWERED_NOW: readonly (readonly [string, string])[] = [
  ["how close is gpt-4o to its TPM limit?", "quota"],
  ["what is the quota for gpt-4o-mini", "quota"],
  ["how much capacity is left on gpt-4o", "quota"],
  ["rpm limits by deployment", "quota"],
  ["last failed requests", "logs failed-requests"],
  ["latest 20 errors for gpt-4o", "logs failed-requests"],
  ["show me the failed requests", "logs failed-requests"],
  ["who called gpt-4o-mini the most", "logs callers"],
  ["correlation id of the 500s", "logs failed-requests"],
  ["logs for gpt-4o last hour", "logs sample"],
];

describe("topics the bot can't answer yet", () => {
  it.each(CANT_YET)("%s → can't read %s yet", (text, topic) => {
    const err = refusal(text);
    expect(err).toBeInstanceOf(CannotAnswerYetError);
    expect(err).toMatchObject({ topic });
    expect(err.message).toMatch(/^I can't .* yet \(that needs /);
    expect(err.examples.length).toBeGreaterThan(0);
  });

  it.each(ANSWERED_NOW)("%s → answered from the %s table, not refused", (text, kind) => {
    const p = parse(text, ctx);
    expect(p.kind).toBe("table");
    expect(p.kind === "table" ? [p.question.kind, "template" in p.question ? p.question.template : ""].join(" ").trim() : "").toBe(kind);
  });

  it("offers questions about the deployment named, each of which is answered, not refused", () => {
    const alerts = refusal("any alerts firing for gpt-4o?");
    expect(alerts.message).toBe("I can't read Azure Monitor alerts or alert rules yet (that needs the Alerts Management API).");
    expect(alerts.examples).toEqual(["how is gpt-4o doing?", "errors for gpt-4o last hour", "429s for gpt-4o last hour"]);
    for (const topic of UNSUPPORTED_TOPICS) {
      for (const example of [...topic.instead("gpt-4o-mini"), ...topic.instead(undefined)]) expect(parse(example, ctx).kind, example).toBe("question");
    }
  });

  it("keeps what already means something else: rate limits are 429s, capacity used is PTU utilisation, a count of failed requests is a count", () => {
    const asked = (text: string) => {
      const p = parse(text, ctx);
      return p.kind === "question" ? p.question.asks.map((a) => a.label) : [];
    };
    expect(asked("rate limits for gpt-4o last hour")).toEqual(["Rate-limited calls (429)"]);
    expect(asked("ptu capacity used")).toContain("PTU utilisation");
    expect(asked("how many failed requests last hour")).toEqual(["Errors (4xx + 5xx)"]);
    expect(asked("errors last 30 minutes")).toEqual(["Errors (4xx + 5xx)"]);
  });

  it("reads a deployment named like a trigger word as the deployment", () => {
    const p = parse("latency alerts-bot", { deployments: ["alerts-bot"] });
    expect(p.kind === "question" ? p.question.filters.ModelDeploymentName : []).toEqual(["alerts-bot"]);
  });
});

describe("time phrases the grammar does not read", () => {
  it.each([
    ["errors last quarter", "last quarter", ["errors this month", "errors 30d", "errors 90d"]],
    ["errors since the deploy", "since the deploy", ["errors today", "errors yesterday", "errors this week"]],
    ["latency on 3rd please", "on 3rd", ["latency today", "latency yesterday", "latency this week"]],
    ["429s at 14:00", "at 14:00", ["429s today", "429s yesterday", "429s this week"]],
    ["tokens in march", "in march", ["tokens this month", "tokens 30d", "tokens 90d"]],
  ])("%s: refuses %j and offers windows it reads", (text, phrase, examples) => {
    const err = refusal(text);
    expect(err).toBeInstanceOf(UnreadTimeError);
    expect(err).toMatchObject({ phrase });
    expect(err.message).toBe(`I can't read the time "${phrase}" yet, so I haven't answered for another window.`);
    expect(err.hint).toContain("`today`");
    expect(err.examples).toEqual(examples);
  });

  it("never drops a time-looking word: each phrase is read as a window, or refused", () => {
    const phrases = ["this morning", "yesterday afternoon", "overnight", "on monday", "last tuesday", "this weekend", "last quarter", "since the deploy", "on 3rd", "at noon", "in october", "2 fortnights ago", "daily", "per hour", "tonight"];
    for (const phrase of phrases) {
      let outcome: string;
      try {
        const p = parse(`errors ${phrase}`, ctx);
        outcome = p.kind === "question" && JSON.stringify(p.question.window) !== JSON.stringify(DEFAULT_WINDOW) ? "read" : "dropped";
      } catch (err) {
        outcome = err instanceof UnreadTimeError ? "refused" : `other: ${String(err)}`;
      }
      expect(["read", "refused"], `errors ${phrase}`).toContain(outcome);
    }
  });
});

describe("through the conversation a chat platform calls (the demo, no prices configured)", () => {
  const conversation = new Conversation(new Bot(createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW }).service));

  it.each([
    ["how much did we spend this week", "I can't estimate spend yet: no prices are configured.", "tokens by deployment this week"],
    ["cost by deployment yesterday", "I can't estimate spend yet: no prices are configured.", "tokens by deployment this week"],
    ["any alerts firing?", "I can't read Azure Monitor alerts or alert rules yet", "is anything failing?"],
    ["errors last quarter", 'I can\'t read the time "last quarter" yet', "errors this month"],
  ])("%s", async (text, says, offers) => {
    const m = await conversation.say(text, CONSOLE);
    expect(m.kind).toBe("error");
    expect(m.title).toContain(says);
    expect(m.actionsTitle).toBe("Here is what I can:");
    expect(m.actions.map((a) => a.followUp.text)).toContain(offers);
    // no metric figure stands in for the answer
    expect(m.figures).toEqual([]);
    expect(renderText(m)).not.toMatch(/source: /);
  });

  it("says how to add prices, with a snippet that is valid configuration", async () => {
    const m = await conversation.say("how much did we spend this week", CONSOLE);
    const snippet = /`(prices: [^`]+)`/.exec(m.lines.join(" "))?.[1];
    expect(snippet).toBeDefined();
    expect(m.lines.join(" ")).toContain("per 1M tokens");
    const file = join(mkdtempSync(join(tmpdir(), "aoai-prices-")), "aoai.config.yaml");
    writeFileSync(file, `${snippet ?? ""}\n`);
    expect(loadConfig({ file, env: {} }).prices).toMatchObject({ currency: "USD", models: { "gpt-4o": { inputPer1M: 2.5, outputPer1M: 10 } } });
  });
});
