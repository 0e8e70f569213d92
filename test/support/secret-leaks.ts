// The secrets the tests hand the bot (fakes' signing secret, tokens, client secrets), and a watch on
// every log line the tests produce: the capture logger and the process's shared logger (replaced in
// test/setup/no-secret-leaks.ts) both pass their lines here, and a test during which a line held
// one of these fails. The values are copies (importing the fakes would load the chat SDKs into
// every test file); test/log/secret-leaks.test.ts checks they match the fakes.

/** Secrets the fakes and tests use; none may reach a log line, redacted or not. */
export const KNOWN_TEST_SECRETS: readonly string[] = [
  // test/fakes/slack-request.ts SIGNING_SECRET
  "8f742231b10e8888abcd99yyyzzz85a5",
  // test/fakes/azure-monitor.ts FakeCredential's token, test/fakes/bot-connector.ts OUTBOUND_TOKEN
  "fake-token",
  "fake-outbound-token",
  // test/adapters/slack/slack-bot.ts and the Slack tests' bot token
  "xoxb-test",
  // test/log/*: the secrets the redaction tests plant
  "Zq8~pLm2.Vn4_Rt6-Wx0yAb3Cd5Ef7Gh9",
  "s3cr3t-p@ss",
  "s3cr3t-p%40ss",
];

/** Shapes no redacted line can hold: a three-part JWT (the fake identity provider's tokens), a bearer credential. */
const LEAK_PATTERNS: readonly RegExp[] = [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/, /\bBearer\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}/];

const found: string[] = [];

/** What in `line` is a secret (empty: nothing). */
export function leaksIn(line: string): string[] {
  const out: string[] = KNOWN_TEST_SECRETS.filter((s) => line.includes(s));
  for (const p of LEAK_PATTERNS) {
    const m = p.exec(line);
    if (m) out.push(m[0]);
  }
  return out;
}

/** Called with every log line written during the tests. */
export function watchLine(line: string): void {
  if (leaksIn(line).length > 0) found.push(line);
}

/** The lines that leaked since the last call. */
export function takeLeaks(): string[] {
  return found.splice(0);
}
