// Whatever the bot does with its credentials, none reaches a log line, even at debug and with no
// secret environment variable to hunt by value (the logger here knows no secrets: only field names
// and patterns protect these lines). The flows are the real ones: a Slack event signed with the
// signing secret and answered with the bot token (once Slack refuses the post), Teams with a client
// secret and inbound Entra JWTs, Azure through the real client-secret credential with its token
// refused, then issued and sent to an Azure that cannot be reached, and a PostgreSQL URL with a password.
import { ClientSecretCredential } from "@azure/identity";
import type { HttpClient } from "@azure/core-rest-pipeline";
import { getAuthConfigWithDefaults } from "@microsoft/agents-hosting";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { personalMessage } from "../adapters/teams/activities.ts";
import { ACCOUNT } from "../fakes/arm-resources.ts";
import { FakeBotConnector, fakeOutboundConnections } from "../fakes/bot-connector.ts";
import { FakeIdentityProvider } from "../fakes/identity-provider.ts";
import { forwardingHttpClient } from "../fakes/loopback.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { eventCallback, sendSigned } from "../fakes/slack-request.ts";
import { captureLogger, type CapturedLogger } from "../support/capture-logger.ts";

const BOT_TOKEN = "xoxb-2718281828-3141592653-QwErTyUiOpAsDfGhJkLzXcVb";
const SIGNING_SECRET = "c0ffee11d00d5eed0ddba11abad1dea5";
const TEAMS_SECRET = "Tm~8Q~teamsClientSecretValue_0123456789";
const SP_SECRET = "Sp~8Q~servicePrincipalSecret_9876543210";
const DB_PASSWORD = "pg-Pa55w0rd!with@signs";
const DB_URL = `postgres://postgres:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1:5432/test`;
const APP_ID = "0b5a4c2e-1111-4a3b-9c8d-0000000aa0d5";

let slack: FakeSlackApi;
let connector: FakeBotConnector;
let idp: FakeIdentityProvider;
let proc: BotProcess;
let base: string;
let log: CapturedLogger;
/** Where Azure requests go: nowhere (a refused port), as when Azure cannot be reached. */
const unreachable: HttpClient = forwardingHttpClient("http://127.0.0.1:9");
const jwts: string[] = [];

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  connector = await new FakeBotConnector().start();
  idp = await new FakeIdentityProvider().start();
  log = captureLogger({ level: "debug", env: {}, secrets: [] });
  const credential = new ClientSecretCredential(idp.tenant, "00000000-0000-0000-0000-0000000000aa", SP_SECRET, { httpClient: forwardingHttpClient(new URL(idp.authority).origin), disableInstanceDiscovery: true, retryOptions: { maxRetries: 0 } });
  const authConfig = getAuthConfigWithDefaults({ clientId: APP_ID, clientSecret: TEAMS_SECRET, tenantId: idp.tenant, authorityEndpoint: idp.authority });
  const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, DATABASE_URL: DB_URL, AZURE_CLIENT_SECRET: SP_SECRET };
  proc = await startBotProcess(
    { ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0, resourceIds: [ACCOUNT], queryTimeoutMs: 2_000 },
    { env, host: "127.0.0.1", source: "azure", credential, httpClient: unreachable, runSchedules: false, logger: log.logger, inlineWaitMs: 10_000, teams: { authConfig, outboundConnections: fakeOutboundConnections(authConfig) } },
  );
  base = `http://127.0.0.1:${proc.server.port}`;
});
afterAll(async () => {
  await proc.stop();
  await Promise.all([slack.close(), connector.close(), idp.close()]);
});

const mention = (text: string, channel: string) => eventCallback({ type: "app_mention", user: "U0001", text: `<@UBOT> ${text}`, ts: "1764400100.000100", channel, event_ts: "1764400100.000100" });

describe("secrets in the log lines of real flows", () => {
  it("asks Azure with a refused service principal secret, then with a token Azure cannot be reached with, and Slack refuses the first post", async () => {
    idp.tokenAnswer = 401;
    await sendSigned(`${base}/slack/events`, { ...mention("latency", "C0SEC1"), secret: SIGNING_SECRET });
    await slack.waitFor(() => slack.messages("C0SEC1")[0]);
    idp.tokenAnswer = "token";
    slack.fail("chat.postMessage", 1, 500, 0);
    await sendSigned(`${base}/slack/events`, { ...mention("429s", "C0SEC2"), secret: SIGNING_SECRET });
    await slack.waitFor(() => log.entries().find((e) => e.msg === "slack delivery failed"));
    // the flows happened: a refused token, an unreachable Azure, a refused post
    const said = log.entries().map((e) => e.msg);
    expect(said).toEqual(expect.arrayContaining(["azure token request failed", "azure request failed", "slack delivery failed"]));
    expect(log.text()).toContain("AADSTS7000215");
  });

  it("answers Teams activities carrying Entra tokens, and refuses an expired one", async () => {
    const claims = { aud: APP_ID, serviceurl: connector.url, tid: idp.tenant };
    const valid = idp.token(claims);
    const expired = idp.token({ ...claims, iat: 1_700_000_000, nbf: 1_700_000_000, exp: 1_700_003_600 });
    jwts.push(valid, expired);
    const send = (token: string, text: string) => fetch(`${base}/api/messages`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(personalMessage(connector.url, text)) });
    expect((await send(valid, "help")).status).toBe(200);
    expect((await send(expired, "help")).status).toBe(401);
  });

  it("reports a store it cannot reach without the password in its URL", async () => {
    const env = { DATABASE_URL: `postgres://aoai:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1:9/aoai` };
    const failed = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", logger: log.logger }).catch((err: unknown) => err);
    // as main.ts says why it could not start
    log.logger.error({ err: failed, url: env.DATABASE_URL }, `cannot start: ${env.DATABASE_URL}`);
    expect(log.entries().at(-1)?.msg).toBe("cannot start: postgres://aoai:[redacted]@127.0.0.1:9/aoai");
  });

  it("wrote none of those secrets, tokens or passwords in any line", () => {
    const text = log.text();
    expect(log.lines.length).toBeGreaterThan(10);
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, TEAMS_SECRET, SP_SECRET, DB_PASSWORD, encodeURIComponent(DB_PASSWORD), ...jwts]) expect(text).not.toContain(secret);
    // no JWT at all: the token Entra issued for Azure is in none of the lines either
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    expect(text).not.toMatch(/xoxb-(?!\[redacted\])/);
  });
});
