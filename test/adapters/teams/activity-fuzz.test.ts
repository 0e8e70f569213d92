// Random JSON and mutated real activities at /api/messages, unauthenticated (local development) and
// with valid tokens: whatever arrives, the answer is never a 5xx and the bot keeps answering.
import { mkdtempSync } from "node:fs";
import { teamsPlatform } from "../../../src/adapters/teams/platform.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAuthConfigWithDefaults } from "@microsoft/agents-hosting";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { FakeBotConnector, fakeOutboundConnections } from "../../fakes/bot-connector.ts";
import { FakeIdentityProvider } from "../../fakes/identity-provider.ts";
import { botAdded, cardAction, channelMention, personalMessage } from "./activities.ts";

const APP_ID = "0b5a4c2e-3333-4a3b-9c8d-0000000aa003";
const NUM_RUNS = 100;
/** Well-formed runs are answered for real (the demo's split answers take up to a second on a busy machine). */
const FUZZ_TIMEOUT_MS = 90_000;
let connector: FakeBotConnector;
let idp: FakeIdentityProvider;
const procs: Record<"loopback" | "authenticated", BotProcess | undefined> = { loopback: undefined, authenticated: undefined };

async function start(auth: boolean): Promise<BotProcess> {
  const env = { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-fuzz-")), "f.sqlite") };
  const authConfig = auth ? getAuthConfigWithDefaults({ clientId: APP_ID, tenantId: idp.tenant, authorityEndpoint: idp.authority }) : undefined;
  return startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: new Date("2026-11-29T10:00:00Z"), runSchedules: false, ...(authConfig ? { teams: { authConfig, outboundConnections: fakeOutboundConnections(authConfig) } } : {}) });
}

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  idp = await new FakeIdentityProvider().start();
  procs.loopback = await start(false);
  procs.authenticated = await start(true);
});
afterAll(async () => {
  for (const p of Object.values(procs)) await p?.stop();
  await connector.close();
  await idp.close();
});

type Json = Record<string, unknown>;

/** Real activity kinds the bot handles, as Teams sends them. */
const templates = (): Json[] => [
  personalMessage(connector.url, "latency"),
  personalMessage(connector.url, "", { text: undefined, replyToId: "bot-activity-9", value: { verb: "aoai.followUp", followUp: { kind: "split", text: "latency" } } }),
  channelMention(connector.url, "429s gpt-4o-mini 24h"),
  cardAction(connector.url, { kind: "window", text: "latency", minutes: 1440 }),
  botAdded(connector.url, "19:fuzz@thread.tacv2"),
  personalMessage(connector.url, "", { type: "installationUpdate", action: "add", text: undefined }),
];

const PATHS = [
  "type", "id", "channelId", "serviceUrl", "from", "from.id", "from.aadObjectId", "recipient", "recipient.id",
  "conversation", "conversation.id", "conversation.conversationType", "conversation.name", "channelData", "channelData.tenant",
  "channelData.tenant.id", "channelData.channel", "channelData.channel.id", "text", "entities", "entities.0", "entities.0.type",
  "entities.0.mentioned", "entities.0.mentioned.id", "entities.0.text", "value", "value.action", "value.action.verb",
  "value.action.data", "value.action.data.followUp", "value.action.data.followUp.minutes", "value.followUp", "value.verb",
  "name", "replyToId", "membersAdded", "membersAdded.0", "membersAdded.0.id", "action", "deliveryMode", "attachments", "locale", "timestamp",
];
const nasty = fc.constantFrom<unknown>(null, "", "\u0000", "a:\u0000", "x".repeat(2000), -1, 0, 1e308, true, [], {}, [null], { id: 5 },
  "message", "invoke", "adaptiveCard/action", "conversationUpdate", "installationUpdate", "expectReplies", "aoai.followUp", "mention", "add");
const value = fc.oneof(nasty, fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 30 }));
const mutation = fc.record({ path: fc.constantFrom(...PATHS), remove: fc.boolean(), value });

/** Sets or deletes one path; a serviceUrl is never pointed anywhere but the fake (or at nothing usable). */
function mutate(activity: Json, { path, remove, value: v }: { path: string; remove: boolean; value: unknown }): Json {
  const out = structuredClone(activity);
  const keys = path.split(".");
  let node: Record<string, unknown> = out;
  for (const k of keys.slice(0, -1)) {
    const next = node[k];
    if (typeof next !== "object" || next === null) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  const last = keys.at(-1) ?? "";
  if (remove) Reflect.deleteProperty(node, last);
  else node[last] = path === "serviceUrl" && typeof v === "string" && /^https?:/i.test(v) ? "not a url" : v;
  return out;
}

const mutated = fc.tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([i, ms]) => {
  const all = templates();
  return ms.reduce(mutate, { ...all[i % all.length], id: `fuzz-${i}` });
});
const randomBody = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom("type", "id", "conversation", "serviceUrl", "from", "recipient", "text", "value", "name", "channelId"), value));

async function send(mode: "loopback" | "authenticated", body: unknown): Promise<number> {
  const p = procs[mode];
  if (!p) throw new Error("not started");
  const token = mode === "authenticated" ? { authorization: `Bearer ${idp.token({ aud: APP_ID, tid: idp.tenant, serviceurl: connector.url })}` } : {};
  const res = await fetch(`http://127.0.0.1:${p.server.port}/api/messages`, { method: "POST", headers: { "content-type": "application/json", ...token }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

describe.each(["loopback", "authenticated"] as const)("Teams activities fuzzed (%s)", (mode) => {
  it("never answers a mutated activity with a 5xx", async () => {
    const seen = new Set<number>();
    await fc.assert(fc.asyncProperty(mutated, async (activity) => {
      const status = await send(mode, activity);
      seen.add(status);
      expect(status).toBeLessThan(500);
    }), { numRuns: NUM_RUNS });
    // the runs reached both the edge's refusals and the handler
    expect(seen).toContain(400);
    expect(seen).toContain(200);
  }, FUZZ_TIMEOUT_MS);

  it("never answers random JSON with a 5xx", async () => {
    await fc.assert(fc.asyncProperty(randomBody, async (body) => {
      expect(await send(mode, body)).toBeLessThan(500);
    }), { numRuns: NUM_RUNS });
  }, FUZZ_TIMEOUT_MS);

  it("still answers a real question afterwards", async () => {
    await procs[mode]?.adapter(teamsPlatform)?.idle();
    const activity = personalMessage(connector.url, "latency", { conversation: { id: `a:after-fuzz-${mode}`, conversationType: "personal" } });
    expect(await send(mode, activity)).toBe(200);
    expect(connector.messages(`a:after-fuzz-${mode}`)).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${procs[mode]?.server.port ?? 0}/healthz`)).status).toBe(200);
  });
});
