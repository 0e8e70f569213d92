// Azure Monitor failing in each way it does, under the real @azure/arm-monitor client and the whole
// question path (Conversation → Bot → QueryService → AzureMetrics → loopback fake): every question gets
// exactly one readable message (an answer once Azure recovers within the retry budget, otherwise an
// error saying what happened and what to try), nothing escapes as an unhandled rejection, and the next
// question is answered as usual.
import type { AccessToken } from "@azure/core-auth";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { Bot } from "../../src/bot/bot.ts";
import { Conversation } from "../../src/bot/conversation.ts";
import type { Message } from "../../src/bot/message.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { MIN, trafficHandler } from "../bot/verdict-traffic.ts";
import { FakeAzureMonitor, type FakeReply, type RecordedRequest } from "../fakes/azure-monitor.ts";
import { unhandledDuringFile } from "../support/unhandled.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const account = (name: string) => `/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/${name}`;
const PROD = account("aoai-prod");
const DEV = account("aoai-dev");
/** A new window each time: the per-replica cache would answer a repeated question without asking Azure. */
let asked = 0;
const question = () => `requests last ${(asked++ % 47) + 2} hours`;
const TIMEOUT_MS = 400;

let azure: FakeAzureMonitor;
/** A fault for the next metric reads of the resources it names (the deployment lookups are cached by then); `times` counts down. */
let fault: { reply: FakeReply; times: number; resources?: readonly string[] } | undefined;
/** What the credential does: a token, or the failure @azure/identity throws when it has none. */
let tokenFails = false;
const unhandled = unhandledDuringFile();

const credential = {
  getToken(): Promise<AccessToken> {
    if (!tokenFails) return Promise.resolve({ token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 });
    const err = new Error("EnvironmentCredential is unavailable. No underlying credential could get a token.");
    err.name = "CredentialUnavailableError";
    return Promise.reject(err);
  },
};

function conversationOver(resourceIds: readonly string[]): Conversation {
  const config = { ...loadConfig({ env: {}, cwd: "/nonexistent" }), resourceIds, queryTimeoutMs: TIMEOUT_MS };
  const source = createQuerySource(config, { source: "azure", now: NOW, credential, httpClient: azure.httpClient(), logger: silentLogger });
  return new Conversation(new Bot(source.service, silentLogger));
}

const resourceOf = (req: RecordedRequest) => PROD.toLowerCase() === req.path.toLowerCase().split("/providers/microsoft.insights/")[0] ? PROD : DEV;
let one: Conversation;
let both: Conversation;

beforeAll(async () => {
  azure = await new FakeAzureMonitor().start();
  const healthy = trafficHandler({ deployments: ["gpt-4o", "gpt-4o-mini"], codes: ["200", "429"], cell: (_d, code) => (code === "200" ? { calls: 10, ms: 900 } : { calls: 1, ms: 20 }), dataEnd: new Date(NOW.getTime() - 2 * MIN) });
  azure.handler = (req, n) => {
    const f = fault;
    const isMetricRead = /\/providers\/microsoft.insights\/metric/i.test(req.path);
    if (f && isMetricRead && f.times > 0 && (f.resources === undefined || f.resources.includes(resourceOf(req)))) {
      f.times -= 1;
      return f.reply;
    }
    return healthy(req, n);
  };
  one = conversationOver([PROD]);
  both = conversationOver([PROD, DEV]);
  // the deployment lookups are cached per resource: faults below hit the metric reads themselves
  for (const c of [one, both]) expect((await c.say(question(), { platform: "console" })).kind).toBe("answer");
});
afterAll(async () => {
  await azure.close();
});
beforeEach(() => {
  fault = undefined;
  tokenFails = false;
});

const ask = (c: Conversation = one): Promise<Message> => c.say(question(), { platform: "console" });
const text = (m: Message) => [m.title, m.summary, ...m.lines, ...m.notes].join("\n");

/** After any fault: the fault is gone, the next question is answered, nothing escaped. */
async function recovers(c: Conversation = one): Promise<void> {
  fault = undefined;
  tokenFails = false;
  expect((await ask(c)).kind).toBe("answer");
  expect(unhandled).toEqual([]);
}

describe("Azure Monitor faults", () => {
  const body = (code: string) => ({ error: { code, message: `${code} from the fake` } });
  it.each([
    ["429 with Retry-After", { status: 429, headers: { "retry-after": "1" }, body: body("TooManyRequests") }],
    ["429 without Retry-After", { status: 429, body: body("TooManyRequests") }],
    ["529", { status: 529, body: body("ServerBusy") }],
    ["503", { status: 503, body: body("ServiceUnavailable") }],
  ] as const)("%s once: retried, and the question is answered", async (_name, reply) => {
    fault = { reply, times: 1 };
    const before = azure.metricsRequests().length;
    expect((await ask()).kind).toBe("answer");
    expect(azure.metricsRequests().length - before).toBeGreaterThan(1);
    await recovers();
  });

  it.each([
    ["429 that does not stop", { status: 429, body: body("TooManyRequests") }, /limit|again/i],
    ["500", { status: 500, body: body("InternalServerError") }, /HTTP 500/],
    ["a reset connection", { status: 200, reset: true }, /reach|reset|socket|failed/i],
    [`a response slower than queryTimeoutMs (${TIMEOUT_MS} ms)`, { status: 200, body: { value: [] }, delayMs: TIMEOUT_MS + 600 }, /did not answer within/],
  ] as const)("%s: one error message that says so, then answers again", async (_name, reply, says) => {
    fault = { reply, times: 1_000 };
    const m = await ask();
    expect(m.kind).toBe("error");
    expect(m.trace?.outcome).not.toBe("internal");
    expect(text(m)).toMatch(says);
    await recovers();
  });

  it("a token failure: an error naming the credential to fix, then answers once a token comes", async () => {
    // a fresh client: a running one holds its token until it nears expiry
    const fresh = conversationOver([PROD]);
    tokenFails = true;
    const m = await ask(fresh);
    expect(m.kind).toBe("error");
    expect(text(m)).toMatch(/could not get an Azure token/);
    expect(text(m)).toMatch(/AZURE_CLIENT_ID|az login|managed identity/);
    await recovers(fresh);
  });

  it("a 403 for one resource among two: the other still answers, and the answer names the one that refused and the role it needs", async () => {
    fault = { reply: { status: 403, body: body("AuthorizationFailed") }, times: 1_000, resources: [DEV] };
    const m = await ask(both);
    expect(m.kind).toBe("answer");
    expect(JSON.stringify(m)).toContain("aoai-dev");
    expect(JSON.stringify(m)).toMatch(/Monitoring Reader/);
    const prod = m.figures.find((f) => f.label.includes("aoai-prod"));
    expect(prod?.value).toBeGreaterThan(0);
    // also when the refusing resource was never read before (its deployment lookups refused too)
    const fresh = conversationOver([PROD, DEV]);
    const first = await ask(fresh);
    expect(first.kind).toBe("answer");
    expect(first.figures.find((f) => f.label.includes("aoai-prod"))?.value).toBeGreaterThan(0);
    expect(JSON.stringify(first)).toContain("aoai-dev");
    expect(JSON.stringify(first)).toMatch(/Monitoring Reader/);
    // every resource refusing is the answer's error, as with one
    fault = { reply: { status: 403, body: body("AuthorizationFailed") }, times: 1_000 };
    const all = await ask(both);
    expect(all.kind).toBe("error");
    expect(text(all)).toMatch(/not allowed to read metrics/);
    await recovers(both);
  });
});
