// Log Analytics failing in the ways the query API's tests elsewhere don't cover (429 without Retry-After,
// 503, a reset connection, a token failure, many failing queries at once), under the real LogsQueryClient:
// each query ends in one typed error a person can act on (never a raw SDK or network error, never an
// unhandled rejection), and the next query is answered.
import type { AccessToken } from "@azure/core-auth";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/queries/errors.ts";
import { AzureLogs } from "../../src/queries/logs/logs-client.ts";
import type { LogsRequest } from "../../src/queries/table-answer.ts";
import { FakeLogAnalytics, tableBody, type LogsReply } from "../fakes/log-analytics.ts";
import { unhandledDuringFile } from "../support/unhandled.ts";

const WORKSPACE = "b3c7a6c0-3f5e-4b52-9a2e-0c7d0e1f2a3b";
const request: LogsRequest = { api: "logs", workspace: WORKSPACE, query: "AzureDiagnostics | take 1", timespan: "2026-11-30T13:00:00Z/2026-11-30T14:00:00Z", serverTimeoutSeconds: 60 };
const OK: LogsReply = { status: 200, body: tableBody([{ name: "n", type: "long" }], [[1]]) };

let fake: FakeLogAnalytics;
let next: LogsReply = OK;
let tokenFails = false;
const unhandled = unhandledDuringFile();
const credential = {
  getToken(): Promise<AccessToken> {
    if (!tokenFails) return Promise.resolve({ token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 });
    const err = new Error("ManagedIdentityCredential: no managed identity endpoint found.");
    err.name = "CredentialUnavailableError";
    return Promise.reject(err);
  },
};
const client = () => new AzureLogs({ credential, httpClient: fake.httpClient(), timeoutMs: 2_000 });
let logs: AzureLogs;
const failure = (c: AzureLogs = logs) => c.query(request).then(() => undefined, (e: unknown) => e);

beforeAll(async () => {
  fake = await new FakeLogAnalytics().start();
  fake.handler = () => next;
  logs = client();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  next = OK;
  tokenFails = false;
});

async function recovers(c: AzureLogs = logs): Promise<void> {
  next = OK;
  tokenFails = false;
  await expect(c.query(request)).resolves.toBeDefined();
  expect(unhandled).toEqual([]);
}

describe("Log Analytics faults", () => {
  it.each([
    ["429 without Retry-After", { status: 429, body: { error: { code: "TooManyRequests", message: "Too many requests." } } }, "logs_throttled"],
    ["503", { status: 503, body: { error: { code: "ServiceUnavailable", message: "busy" } } }, undefined],
    ["500 with a text body", { status: 500, body: "upstream connect error" }, undefined],
    ["a reset connection", { status: 200, reset: true }, "logs_request_failed"],
  ] as const)("%s: one typed error with a hint, then answers again", async (_name, reply, code) => {
    next = reply;
    const err = await failure();
    expect(err).toBeInstanceOf(UserError);
    if (code !== undefined) expect((err as UserError).code).toBe(code);
    expect((err as UserError).message.length).toBeGreaterThan(0);
    await recovers();
  });

  it("a token failure: an error naming the credential, then answers once a token comes", async () => {
    const fresh = client();
    tokenFails = true;
    const err = await failure(fresh);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/token|credential/i);
    await recovers(fresh);
  });

  it("twenty queries failing at once each end in their own error, none lost", async () => {
    next = { status: 503, body: { error: { code: "ServiceUnavailable", message: "busy" } } };
    const results = await Promise.all(Array.from({ length: 20 }, () => failure()));
    expect(results.filter((e) => e instanceof UserError)).toHaveLength(20);
    await recovers();
  });
});
