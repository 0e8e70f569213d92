// Keys arrive from the network (Slack event ids, Teams activity and conversation ids). PostgreSQL
// refuses NUL in text and cannot index a key past about 2.7 KB, while SQLite takes anything: both
// stores store a long or NUL-carrying key as a digest, so every key works the same in either.
import { createHash } from "node:crypto";

/** Keys up to this many UTF-8 bytes, without NUL, are stored as they are. */
export const MAX_KEY_BYTES = 200;
/** How much of a digested key stays readable in front of its digest (for people and prefix listings). */
const READABLE_PREFIX_BYTES = 100;
const DIGEST_MARK = "#sha256:";

/**
 * The key as stored. A digested key is itself a plain key (short, no NUL), so a key returned by a
 * listing can be passed back to get/delete as it is.
 */
export function storeKey(key: string): string {
  if (!key.includes("\0") && Buffer.byteLength(key, "utf8") <= MAX_KEY_BYTES) return key;
  const digest = createHash("sha256").update(key, "utf8").digest("hex");
  return `${readablePrefix(key)}${DIGEST_MARK}${digest}`;
}

/** A prefix with NUL matches no stored key (stored keys never hold NUL). */
export function storablePrefix(prefix: string): string | undefined {
  return prefix.includes("\0") ? undefined : prefix;
}

function readablePrefix(key: string): string {
  let out = "";
  let bytes = 0;
  for (const ch of key) {
    bytes += Buffer.byteLength(ch, "utf8");
    if (ch === "\0" || bytes > READABLE_PREFIX_BYTES) break;
    out += ch;
  }
  return out;
}
