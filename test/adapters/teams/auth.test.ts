import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAuthConfigWithDefaults } from "@microsoft/agents-hosting";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { FakeBotConnector, fakeOutboundConnections, OUTBOUND_TOKEN } from "../../fakes/bot-connector.ts";
import { FakeIdentityProvider } from "../../fakes/identity-provider.ts";
import { personalMessage } from "./activities.ts";

const APP_ID = "0b5a4c2e-1111-4a3b-9c8d-0000000aa001";
let idp: FakeIdentityProvider;
let connector: FakeBotConnector;
let proc: BotProcess;
let endpoint: string;

beforeAll(async () => {
  idp = await new FakeIdentityProvider().start();
  connector = await new FakeBotConnector().start();
  // no validateIssuer here: the bot turns the issuer check on itself
  const authConfig = getAuthConfigWithDefaults({ clientId: APP_ID, tenantId: idp.tenant, authorityEndpoint: idp.authority });
  const outboundConnections = fakeOutboundConnections(authConfig);
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env: { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-auth-")), "a.sqlite") }, host: "127.0.0.1", source: "demo", now: new Date("2026-11-29T10:00:00Z"), teams: { authConfig, outboundConnections } });
  endpoint = `http://127.0.0.1:${proc.server.port}/api/messages`;
});
afterAll(async () => {
  await proc.stop();
  await connector.close();
  await idp.close();
});

const send = (token: string | undefined, activity = personalMessage(connector.url, "latency")) =>
  fetch(endpoint, { method: "POST", headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: token }) }, body: JSON.stringify(activity) });
const claims = () => ({ aud: APP_ID, serviceurl: connector.url, tid: idp.tenant });

describe("Teams requests with authentication on", () => {
  it("accepts a valid token and replies with the bot's own token", async () => {
    const activity = personalMessage(connector.url, "latency");
    expect((await send(`Bearer ${idp.token(claims())}`, activity)).status).toBe(200);
    const reply = connector.calls.find((c) => c.activityId === activity.id && c.body.type === "message");
    expect(reply?.headers.authorization).toBe(`Bearer ${OUTBOUND_TOKEN}`);
  });

  it.each([
    ["no Authorization header", () => undefined],
    ["a header that is not a bearer token", () => "Basic YWRhOnB3"],
    ["a token for another app (audience)", () => `Bearer ${idp.token({ ...claims(), aud: "someone-else" })}`],
    ["a token from another issuer", () => `Bearer ${idp.token({ ...claims(), iss: "https://evil.example/v2.0" })}`],
    ["an expired token", () => `Bearer ${idp.token({ ...claims(), iat: 1_700_000_000, nbf: 1_700_000_000, exp: 1_700_003_600 })}`],
    ["a token signed with another key", () => `Bearer ${idp.token(claims(), idp.impostor)}`],
    ["a token for another service URL", () => `Bearer ${idp.token({ ...claims(), serviceurl: "https://smba.trafficmanager.net/elsewhere/" })}`],
    ["garbage", () => "Bearer not.a.jwt"],
    ["a valid token without a serviceurl claim", () => `Bearer ${idp.token({ aud: APP_ID, tid: idp.tenant })}`],
  ])("rejects %s with 401 and answers nothing", async (_name, header) => {
    const activity = personalMessage(connector.url, "latency");
    const res = await send(header(), activity);
    expect(res.status).toBe(401);
    expect(connector.calls.filter((c) => c.activityId === activity.id)).toHaveLength(0);
  });
});
