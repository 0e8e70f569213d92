// Raw `kql` through the real bot process on Teams (the Agents SDK's CloudAdapter with Bot Framework
// tokens checked, replies to the loopback Bot Connector), against a real-shaped Azure: the query as
// Log Analytics receives it (real LogsQueryClient; the workspace found from the diagnostic setting)
// and the card a person sees: a Table with the header row and the rows shown, what was left out, and
// no file (Teams gets the table only). Someone not in kql.allowedUsers is refused before any query.
import { mkdtempSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAuthConfigWithDefaults } from "@microsoft/agents-hosting";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { fakeCredential } from "../../fakes/azure-monitor.ts";
import { cardOf, FakeBotConnector, fakeOutboundConnections, type ConnectorCall } from "../../fakes/bot-connector.ts";
import { FakeIdentityProvider } from "../../fakes/identity-provider.ts";
import { tableBody } from "../../fakes/log-analytics.ts";
import { visibleText } from "../../scenarios/visible-text.ts";
import { captureLogger } from "../../support/capture-logger.ts";
import { ACCOUNT, FORMULA, INSUFFICIENT_ACCESS, RESULT_COLUMNS, resultBody, startKqlWorld, WORKSPACE, type KqlWorld } from "../kql-world.ts";
import { BOT, channelMention, personalMessage, USER } from "./activities.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const APP_ID = "0b5a4c2e-1111-4a3b-9c8d-0000000aa001";
const STRANGER = { id: "29:bob", name: "Bob", aadObjectId: "aad-bob" };

let idp: FakeIdentityProvider;
let connector: FakeBotConnector;
let world: KqlWorld;
let proc: BotProcess;
let endpoint = "";
let n = 0;
const log = captureLogger();

beforeAll(async () => {
  idp = await new FakeIdentityProvider().start();
  connector = await new FakeBotConnector().start();
  world = await startKqlWorld();
  const authConfig = getAuthConfigWithDefaults({ clientId: APP_ID, tenantId: idp.tenant, authorityEndpoint: idp.authority });
  const base = loadConfig({ env: {}, cwd: "/nonexistent" });
  proc = await startBotProcess(
    // Teams users are allowed by their AAD object id
    { ...base, port: 0, resourceIds: [ACCOUNT], kql: { ...base.kql, allowedUsers: [USER.aadObjectId] } },
    {
      env: { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-kql-teams-")), "t.sqlite") },
      host: "127.0.0.1",
      source: "azure",
      now: NOW,
      credential: fakeCredential,
      httpClient: world.arm.httpClient(),
      logsHttpClient: world.logAnalytics.httpClient(),
      runSchedules: false,
      logger: log.logger,
      teams: { authConfig, outboundConnections: fakeOutboundConnections(authConfig) },
    },
  );
  endpoint = `http://127.0.0.1:${proc.server.port}/api/messages`;
});
afterAll(async () => {
  await proc.stop();
  await world.close();
  await connector.close();
  await idp.close();
});
beforeEach(() => {
  world.logs = { status: 200, body: resultBody(60) };
  world.logAnalytics.requests.length = 0;
});

/** Sends the activity as Teams does (with a Bot Framework token) and returns the card the bot answered with. */
async function ask(activity: Record<string, unknown>): Promise<{ reply: ConnectorCall; card: Record<string, unknown> }> {
  const token = idp.token({ aud: APP_ID, serviceurl: connector.url, tid: idp.tenant });
  const res = await fetch(endpoint, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(activity) });
  expect(res.status).toBe(200);
  const conversation = (activity.conversation as { id: string }).id;
  const reply = await connector.waitFor(() => connector.messages(conversation).find((c) => cardOf(c.body) !== undefined));
  return { reply, card: cardOf(reply.body) ?? {} };
}

const personal = (text: string, from = USER) => personalMessage(connector.url, text, { from, conversation: { id: `a:kql-${String(++n)}`, conversationType: "personal", tenantId: "tenant-1" } });

interface CardElement {
  readonly type: string;
  readonly text?: string;
  readonly inlines?: readonly { readonly text?: string }[];
  readonly rows?: readonly { readonly cells: readonly { readonly items: readonly CardElement[] }[] }[];
}

/** The card's Table rows as a person reads them (a RichTextBlock's runs joined). */
function tableRows(card: Record<string, unknown>): string[][] {
  const table = (card.body as CardElement[]).find((e) => e.type === "Table");
  const read = (e: CardElement | undefined): string => e?.text ?? e?.inlines?.map((i) => i.text ?? "").join("") ?? "";
  return (table?.rows ?? []).map((r) => r.cells.map((c) => read(c.items[0])));
}

describe("kql on Teams from an allowed user", () => {
  it("offers the same query, workspace and time range in Log Analytics as an Action.OpenUrl", async () => {
    const { card } = await ask(personal("kql AzureDiagnostics | take 60"));
    const sets = (card.body as { type: string; actions?: { type: string; title: string; url: string }[] }[]).filter((e) => e.type === "ActionSet");
    const open = sets.flatMap((s) => s.actions ?? []).find((a) => a.type === "Action.OpenUrl");
    expect(open?.title).toBe("Open in Log Analytics");
    const m = /^https:\/\/portal\.azure\.com\/#blade\/Microsoft_OperationsManagementSuite_Workspace\/Logs\.ReactView\/resourceId\/([^/]+)\/source\/LogsBlade\.AnalyticsShareLinkToQuery\/q\/([^/]+)\/timespan\/([^/]+)$/.exec(open?.url ?? "");
    expect(decodeURIComponent(m?.[1] ?? "")).toBe(WORKSPACE);
    expect(gunzipSync(Buffer.from(decodeURIComponent(decodeURIComponent(m?.[2] ?? "")), "base64")).toString("utf8")).toBe("AzureDiagnostics | take 60");
    expect(decodeURIComponent(m?.[3] ?? "")).toBe(world.logAnalytics.requests[0]?.body.timespan);
  });

  it("sends exactly the query to the workspace and answers with a Table: the header row, the rows shown, and how many more", async () => {
    const { reply, card } = await ask(personal("kql AzureDiagnostics | take 60"));
    const [sent, ...others] = world.logAnalytics.requests;
    expect(others).toEqual([]);
    expect(sent?.target).toEqual({ kind: "resource", id: WORKSPACE });
    expect(sent?.body.query).toBe("AzureDiagnostics | take 60");
    expect(sent?.prefer).toBe("wait=60,include-statistics=true");
    expect(log.entries().filter((e) => e.msg === "raw kql asked").at(-1)).toMatchObject({ platform: "teams", user: USER.aadObjectId, query: "AzureDiagnostics | take 60" });

    const rows = tableRows(card);
    expect(rows[0]).toEqual(RESULT_COLUMNS.map((c) => c.name));
    const shown = rows.length - 1;
    // at most kql.maxRows; fewer when 50 rows of this width would pass Teams' card size
    expect(shown).toBeGreaterThanOrEqual(10);
    expect(shown).toBeLessThanOrEqual(50);
    expect(rows[1]).toEqual(["{{DATE(2026-11-29T09:00:07Z, SHORT)}} {{TIME(2026-11-29T09:00:07Z)}}", "ChatCompletions_Create", "100 ms", "200", "00000000-0000-4000-8000-000000000000", FORMULA]);
    // no duration is "no data", never 0
    expect(rows[6]?.[2]).toBe("no data");
    expect(rows[shown]?.[4]).toBe(`00000000-0000-4000-8000-0000000000${String(shown - 1).padStart(2, "0")}`);

    const seen = visibleText(card);
    // what the card leaves out is counted from what it shows
    expect(seen).toContain(`… and ${String(60 - shown)} more rows`);
    expect(seen).toContain("Query statistics: 12 ms, 123,456 rows scanned");
    expect(seen).toContain(`Source: workspace ${WORKSPACE} · KQL AzureDiagnostics | take 60`);

    // the table is all Teams gets: the card is the activity's only attachment, and no file is offered
    expect(reply.body.attachments).toHaveLength(1);
    expect(seen).not.toMatch(/\bCSV\b|kql-result\.csv/);
  });

  it("a narrow result shows kql.maxRows (50) rows and says 10 more", async () => {
    world.logs = { status: 200, body: tableBody([{ name: "OperationName", type: "string" }, { name: "n", type: "long" }], Array.from({ length: 60 }, (_, i) => [`Operation_${String(i)}`, 1000 - i])) };
    const { card } = await ask(personal("kql AzureDiagnostics | summarize n = count() by OperationName | take 60"));
    const rows = tableRows(card);
    expect(rows[0]).toEqual(["OperationName", "n"]);
    expect(rows).toHaveLength(51);
    expect(rows[1]).toEqual(["Operation_0", "1,000"]);
    expect(rows[50]).toEqual(["Operation_49", "951"]);
    const seen = visibleText(card);
    expect(seen).toContain("… and 10 more rows");
  });

  it("a channel mention with a ``` block runs the query inside it and replies in the thread", async () => {
    const thread = `19:ops@thread.tacv2;messageid=${String(Date.now())}`;
    // only the bot is mentioned: the rest of the text is the query
    const activity = { ...channelMention(connector.url, "", thread), text: "<at>aoai</at> kql ```AzureDiagnostics | take 60```", entities: [{ type: "mention", text: "<at>aoai</at>", mentioned: BOT }] };
    const { reply, card } = await ask(activity);
    expect(reply.conversationId).toBe(thread);
    expect(world.logAnalytics.requests.map((r) => r.body.query)).toEqual(["AzureDiagnostics | take 60"]);
    expect(tableRows(card)[0]).toEqual(RESULT_COLUMNS.map((c) => c.name));
  });

  it("a workspace that refuses the bot names the role to assign, with doctor's table", async () => {
    world.logs = INSUFFICIENT_ACCESS;
    const { card } = await ask(personal("kql AzureDiagnostics | take 60"));
    const seen = visibleText(card);
    expect(seen).toContain(`"Log Analytics Reader" role on ${WORKSPACE}`);
    expect(seen).toContain("doctor checked what this bot needs:");
    expect(tableRows(card).find((r) => r[1] === "Workspace queryable")?.[2]).toBe("❌ fails");
  });
});

describe("kql on Teams from someone not in kql.allowedUsers", () => {
  it("is refused with how to be allowed, and no query reaches Log Analytics", async () => {
    const { card } = await ask(personal("kql AzureDiagnostics | take 60", STRANGER));
    const seen = visibleText(card);
    // Teams cards have no inline code: the backticks go
    expect(seen).toContain("Only the people listed in kql.allowedUsers may run raw KQL.");
    expect(seen).toContain(`adding teams:${STRANGER.aadObjectId} to kql.allowedUsers`);
    expect((card.body as CardElement[]).some((e) => e.type === "Table")).toBe(false);
    expect(world.logAnalytics.requests).toEqual([]);
  });
});
