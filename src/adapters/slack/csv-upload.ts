// The whole result of an answer (a raw `kql` result) as a CSV file beside it, in the same channel or
// thread: WebClient.filesUploadV2 does files.getUploadURLExternal → POST of the bytes to the upload
// URL → files.completeUploadExternal. It needs the files:write bot scope. When Slack refuses, the
// answer is already posted; what is said here is the one line that follows it.
import { WebAPIPlatformError, type WebClient } from "@slack/web-api";
import type { Attachment } from "../../bot/message.ts";
import { DeliveryRefusedError } from "../../schedules/delivery-errors.ts";
import { esc } from "./render-blockkit.ts";

export interface UploadPlace {
  readonly channel: string;
  readonly threadTs?: string;
}

export async function uploadCsv(client: WebClient, place: UploadPlace, a: Attachment): Promise<void> {
  const file = { file: Buffer.from(a.csv, "utf8"), filename: a.filename, title: a.title, snippet_type: "csv" };
  // the SDK types a thread reply and a channel post as two shapes
  await (place.threadTs === undefined ? client.filesUploadV2({ ...file, channel_id: place.channel }) : client.filesUploadV2({ ...file, channel_id: place.channel, thread_ts: place.threadTs }));
}

/** Slack's error names for a refused upload, and what to do about each. */
const REASONS: Readonly<Record<string, string>> = {
  missing_scope: "the Slack app lacks the `files:write` bot scope. Add it under OAuth & Permissions → Bot Token Scopes (slack/manifest.yml lists it) and reinstall the app",
  not_in_channel: "the bot is not a member of this channel. Invite it (`/invite @aoai`) and ask again",
  channel_not_found: "Slack does not let the bot see this conversation. Invite it and ask again",
  restricted_action: "this workspace does not let apps share files here. A Slack admin can allow it",
  file_uploads_disabled: "file uploads are turned off in this workspace. A Slack admin can turn them on",
  ratelimited: "Slack rate limited the upload. Ask again in a minute",
};

/** The line posted after an answer whose file Slack did not take, saying why and what to do. */
export function notAttached(a: Attachment, err: unknown): string {
  const code = platformError(err);
  const reason = (code && REASONS[code]) ?? (code ? `Slack refused the upload (\`${code}\`)` : `the upload failed: ${err instanceof Error ? err.message : String(err)}`);
  return `⚠️ I couldn't attach ${esc(a.filename)} (all ${a.rows} rows as CSV): ${esc(reason)}.`;
}

/** Said under an answer that goes back through a response_url (slash commands): such a reply can't carry a file. */
export function notAttachedToReply(a: Attachment): string {
  return `The full result (${a.rows} rows as CSV) is attached only to answers the bot posts itself: mention the bot in a channel or message it directly to get ${esc(a.filename)}.`;
}

/** Slack's error name, through the delivery error that wraps it; "ratelimited" for a 429. */
function platformError(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof WebAPIPlatformError) return e.data.error;
    if (e instanceof DeliveryRefusedError && e.code === "rate_limited") return "ratelimited";
  }
  return undefined;
}
