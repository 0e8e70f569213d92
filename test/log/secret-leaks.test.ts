// The suite-wide watch (test/setup/no-secret-leaks.ts) knows the secrets the fakes hand out, and
// tells a secret in a line from its redacted form.
import { describe, expect, it } from "vitest";
import { OUTBOUND_TOKEN } from "../fakes/bot-connector.ts";
import { fakeCredential } from "../fakes/azure-monitor.ts";
import { SIGNING_SECRET } from "../fakes/slack-request.ts";
import { captureLogger } from "../support/capture-logger.ts";
import { KNOWN_TEST_SECRETS, leaksIn, takeLeaks, watchLine } from "../support/secret-leaks.ts";

describe("the secret watch over every test's log lines", () => {
  it("knows the fakes' signing secret and tokens", async () => {
    const { token } = (await fakeCredential.getToken("https://management.azure.com/.default"));
    expect(KNOWN_TEST_SECRETS).toEqual(expect.arrayContaining([SIGNING_SECRET, OUTBOUND_TOKEN, token]));
  });

  it("flags a known secret, a JWT and a bearer credential, and not what redaction leaves of them", () => {
    expect(leaksIn(`signed with ${SIGNING_SECRET}`)).toEqual([SIGNING_SECRET]);
    expect(leaksIn("Authorization: Bearer abcdefgh12345678")).toEqual(["Bearer abcdefgh12345678"]);
    expect(leaksIn("token eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")).toEqual(["eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."]);
    expect(leaksIn("Bearer [redacted], eyJ[redacted], xoxb-[redacted]")).toEqual([]);
  });

  it("sees what the capture logger writes: redacted lines pass, and a line that leaks is kept for the test to fail on", () => {
    const log = captureLogger({ env: { SLACK_SIGNING_SECRET: SIGNING_SECRET } });
    log.logger.warn({ header: `Bearer ${OUTBOUND_TOKEN}` }, `checked with ${SIGNING_SECRET}`);
    expect(takeLeaks()).toEqual([]);
    watchLine(`{"msg":"posting with ${OUTBOUND_TOKEN}"}`);
    expect(takeLeaks()).toEqual([`{"msg":"posting with ${OUTBOUND_TOKEN}"}`]);
  });
});
