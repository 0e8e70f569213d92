// What must never reach a log line: credentials in connection strings, Slack tokens, bearer tokens,
// and the values of the process's own secret environment variables wherever they turn up. Applied to
// each finished JSON line, so messages, error stacks and nested fields are all covered; field names
// that hold secrets are blanked before that by pino's redact paths (REDACT_PATHS).

export const CENSOR = "[redacted]";

/** Field names whose values are secrets, at the top level and one or two levels down. */
const SECRET_KEYS = ["authorization", "Authorization", "token", "botToken", "appToken", "accessToken", "access_token", "refresh_token", "clientSecret", "client_secret", "client_assertion", "signingSecret", "secret", "password", "connectionString", "DATABASE_URL", "cookie", "set-cookie", "api-key", "x-api-key"];
export const REDACT_PATHS: readonly string[] = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/** Patterns of secrets in free text; each keeps enough to tell what was there. */
const PATTERNS: readonly { readonly find: RegExp; readonly keep: string }[] = [
  // scheme://user:password@host → scheme://user:[redacted]@host
  { find: /([a-z][a-z0-9+.-]*:\/\/[^\s:/@"\\]*:)[^\s@"\\]+@/gi, keep: `$1${CENSOR}@` },
  // libpq key=value strings: password=… (also pass / pwd)
  { find: /\b(password|pass|pwd)=[^\s;&"\\]+/gi, keep: `$1=${CENSOR}` },
  // Slack tokens: xoxb-, xoxp-, xoxa-, xapp-, …
  { find: /\b(xox[a-z]|xapp)-[A-Za-z0-9-]+/g, keep: `$1-${CENSOR}` },
  { find: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, keep: `$1 ${CENSOR}` },
  // JWTs wherever they turn up (Entra and Bot Framework tokens, in a header, a body or an error): header.payload.signature
  { find: /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, keep: `eyJ${CENSOR}` },
  // OAuth form bodies (a token request an SDK error quotes): client_secret=…&…
  { find: /\b(client_secret|client_assertion|refresh_token|access_token|id_token|assertion)=[^\s&"\\]+/gi, keep: `$1=${CENSOR}` },
  // the same fields in a JSON body quoted inside a line (escaped quotes or not)
  { find: /(\\?"(?:client_secret|client_assertion|refresh_token|access_token|id_token|password|secret|token)\\?"\s*:\s*\\?")(?:[^"\\]|\\[^"])+/gi, keep: `$1${CENSOR}` },
  // SAS signatures in storage URLs (…?sv=…&sig=…), storage and Service Bus keys in connection strings
  { find: /([?&]sig=)[^&\s"\\]+/gi, keep: `$1${CENSOR}` },
  { find: /\b(AccountKey|SharedAccessKey)=[^;\s"\\]+/gi, keep: `$1=${CENSOR}` },
];

/** Environment variables whose values are secrets (values shorter than this are not hunted for: too many false hits). */
const SECRET_ENV = /token|secret|password|passwd|signing|private.?key|api.?key|connection.?string/i;
const MIN_SECRET_LENGTH = 8;

/** The secret values of `env`: secret-named variables and the password inside DATABASE_URL. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(env)) if (value && value.length >= MIN_SECRET_LENGTH && SECRET_ENV.test(name)) out.add(value);
  const url = env.DATABASE_URL;
  if (url) {
    try {
      const password = decodeURIComponent(new URL(url).password);
      if (password.length > 0) out.add(password);
    } catch {
      // a malformed URL is refused at start; its password is still covered by PATTERNS
    }
  }
  return [...out];
}

/** `text` with every secret pattern and every value in `secrets` replaced by the censor. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const value of secrets) {
    // as written, and as JSON escapes it inside a log line
    for (const form of new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)])) out = out.split(form).join(CENSOR);
  }
  for (const p of PATTERNS) out = out.replace(p.find, p.keep);
  return out;
}
