// Whatever a component logs, credentials do not reach the log: by field name, by pattern, and by the
// value of the process's own secret environment variables wherever it turns up.
import { describe, expect, it } from "vitest";
import { captureLogger } from "../support/capture-logger.ts";

const BOT_TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx";
const CLIENT_SECRET = "Zq8~pLm2.Vn4_Rt6-Wx0yAb3Cd5Ef7Gh9";
const DB_PASSWORD = "s3cr3t-p@ss";
const DATABASE_URL = `postgres://aoai:${encodeURIComponent(DB_PASSWORD)}@db.internal:5432/aoai`;
const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const ENV = { SLACK_BOT_TOKEN: BOT_TOKEN, clientSecret: CLIENT_SECRET, DATABASE_URL, SLACK_SIGNING_SECRET: SIGNING_SECRET };

describe("log redaction", () => {
  it("keeps an Authorization header, a bot token, a client secret and a database password out of every line", () => {
    const log = captureLogger({ env: ENV });
    log.logger.info({ headers: { authorization: `Bearer ${"e".repeat(40)}.payload.sig`, "content-type": "application/json" } }, "outbound request");
    log.logger.warn({ request: { headers: { Authorization: "Basic YWxhZGRpbjpvcGVuc2VzYW1l" } } }, "proxy answered 407");
    log.logger.info({ settings: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET } }, "slack settings read");
    log.logger.error({ err: new Error(`login failed for client with secret ${CLIENT_SECRET}`) }, "token request failed");
    log.logger.error({ url: DATABASE_URL }, `cannot reach ${DATABASE_URL}`);
    log.logger.child({ token: BOT_TOKEN }).warn({ note: `posting with ${BOT_TOKEN}` }, "slack call");
    const text = log.text();
    for (const secret of [BOT_TOKEN, CLIENT_SECRET, DB_PASSWORD, encodeURIComponent(DB_PASSWORD), SIGNING_SECRET, "YWxhZGRpbjpvcGVuc2VzYW1l", "e".repeat(40)]) expect(text).not.toContain(secret);
    // what is left still says what happened
    expect(log.entries().map((e) => e.msg)).toEqual(["outbound request", "proxy answered 407", "slack settings read", "token request failed", "cannot reach postgres://aoai:[redacted]@db.internal:5432/aoai", "slack call"]);
    expect(log.entries()[0]).toMatchObject({ level: "info", headers: { authorization: "[redacted]", "content-type": "application/json" } });
  });

  it("blanks secrets by pattern even when they are not in the environment", () => {
    const log = captureLogger({ env: {} });
    log.logger.warn({ detail: "host=db user=aoai password=hunter22 dbname=aoai" }, "postgresql://u:pw-not-in-env@h/db refused; token xoxp-111-222-abc");
    expect(log.text()).not.toMatch(/hunter22|pw-not-in-env|xoxp-111/);
    expect(log.entries()[0]?.msg).toBe("postgresql://u:[redacted]@h/db refused; token xoxp-[redacted]");
  });

  it("blanks JWTs, OAuth form and JSON bodies, SAS signatures and storage keys wherever they are quoted", () => {
    const log = captureLogger({ env: {} });
    const jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJhdWQiOiJhcGk6Ly9ib3QiLCJ0aWQiOiJ0MSJ9.c2lnbmF0dXJlLWJ5dGVz";
    log.logger.warn({ activity: { from: "29:ada" }, token: { raw: jwt } }, `inbound token ${jwt} rejected`);
    log.logger.error({ err: new Error("AADSTS7000215 for body grant_type=client_credentials&client_id=app&client_secret=Sp~8Q~not-in-env&scope=x") }, "token request failed");
    log.logger.info({ body: JSON.stringify({ client_secret: "json-secret-value", access_token: "json-access-token", note: "kept" }) }, "identity answered");
    log.logger.info({ url: "https://acct.blob.core.windows.net/c/chart.png?sv=2024-01-01&se=2026-12-03&sig=AbCdEf%2B123%3D&sp=r" }, "uploaded");
    log.logger.warn({}, "storage: DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyYmF6cXV4==;EndpointSuffix=core.windows.net");
    const text = log.text();
    for (const secret of [jwt, "Sp~8Q~not-in-env", "json-secret-value", "json-access-token", "AbCdEf%2B123%3D", "Zm9vYmFyYmF6cXV4=="]) expect(text).not.toContain(secret);
    const [inbound, token, body, sas, key] = log.entries();
    expect(inbound?.msg).toBe("inbound token eyJ[redacted] rejected");
    expect(JSON.stringify(token?.err)).toContain("client_id=app&client_secret=[redacted]&scope=x");
    expect(body?.body).toBe('{"client_secret":"[redacted]","access_token":"[redacted]","note":"kept"}');
    expect(sas?.url).toBe("https://acct.blob.core.windows.net/c/chart.png?sv=2024-01-01&se=2026-12-03&sig=[redacted]&sp=r");
    expect(key?.msg).toBe("storage: DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[redacted];EndpointSuffix=core.windows.net");
  });

  it("writes one JSON object per line with level, time and message", () => {
    const log = captureLogger({ level: "info" });
    log.logger.debug({}, "not written at info");
    log.logger.child({ component: "scheduler" }).info({ schedule: "morning" }, "slot ran");
    expect(log.lines).toHaveLength(1);
    expect(log.entries()[0]).toMatchObject({ level: "info", msg: "slot ran", component: "scheduler", schedule: "morning", time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown });
  });
});
