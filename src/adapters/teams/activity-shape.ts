// What an activity must look like before the SDK and the handler see it: one schema per kind the bot
// handles, checked at the edge so a malformed activity is a 400 with a short reason, never a 5xx or a
// half-run turn. Kinds the bot does not handle only need the envelope; they are acknowledged unread.
import { z } from "zod";

/** Ids go into store keys and Connector URLs: no NUL (PostgreSQL refuses it), nothing absurdly long. */
export const MAX_ID_CHARS = 1024;

const id = z
  .string()
  .min(1, { error: "must not be empty" })
  .max(MAX_ID_CHARS, { error: `must be at most ${MAX_ID_CHARS} characters` })
  .refine((s) => !s.includes("\u0000"), { error: "must not contain NUL" });
const account = z.looseObject({ id, name: z.string().optional(), aadObjectId: z.string().optional() });
const named = z.looseObject({ id: z.string().optional(), name: z.string().optional() }).nullish();
const entity = z.looseObject({ type: z.string() }).refine(
  // the SDK reads mentioned.id of every mention to strip the bot's own
  (e) => e.type.toLowerCase() !== "mention" || (typeof (e as { mentioned?: { id?: unknown } }).mentioned?.id === "string" && typeof (e as { text?: unknown }).text === "string"),
  { error: "a mention needs mentioned.id and text" },
);

/** Every activity: a type, and ids that are safe to store and to put in a URL. */
const Envelope = z.looseObject({
  type: z.string().min(1).max(100),
  id: id.optional(),
  replyToId: id.optional(),
  conversation: z.looseObject({ id }).optional(),
});

/** What the bot needs to answer anything at all: where the conversation is and who is in it. */
const Addressed = Envelope.extend({
  channelId: z.string().min(1).max(100),
  serviceUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2048),
  from: account,
  recipient: account,
  conversation: z.looseObject({ id, name: z.string().optional(), conversationType: z.string().optional() }),
  channelData: z.looseObject({ tenant: named, team: named, channel: named }).nullish(),
  entities: z.array(entity).nullish(),
  // fields the SDK's own schema also checks, refused here with a reason rather than by it
  attachments: z.array(z.looseObject({ contentType: z.string().optional() })).nullish(),
  deliveryMode: z.string().nullish(),
  locale: z.string().max(100).nullish(),
  timestamp: z.string().max(100).nullish(),
});

const HANDLED: Readonly<Record<string, z.ZodType>> = {
  message: Addressed.extend({ text: z.string().nullish() }),
  invoke: Addressed.extend({ name: z.string().max(200).optional() }).refine(
    (a) => a.name !== "adaptiveCard/action" || (typeof a.value === "object" && a.value !== null && !Array.isArray(a.value)),
    { error: "an adaptiveCard/action invoke needs an object value", path: ["value"] },
  ),
  conversationUpdate: Addressed.extend({ membersAdded: z.array(account).nullish(), membersRemoved: z.array(account).nullish() }),
  installationUpdate: Addressed.extend({ action: z.string().nullish() }),
};

export type ActivityCheck = { readonly verdict: "handle" | "ignore" } | { readonly verdict: "reject"; readonly reason: string };

export function checkActivity(body: unknown): ActivityCheck {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { verdict: "reject", reason: "expected a Bot Framework activity (JSON object with a type)" };
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) return { verdict: "reject", reason: reasonOf(envelope.error) };
  const schema = Object.hasOwn(HANDLED, envelope.data.type) ? HANDLED[envelope.data.type] : undefined;
  if (!schema) return { verdict: "ignore" };
  const parsed = schema.safeParse(body);
  return parsed.success ? { verdict: "handle" } : { verdict: "reject", reason: reasonOf(parsed.error) };
}

/** The first problem, as "field: what is wrong": short, and free of the values sent. */
function reasonOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "malformed activity";
  const where = issue.path.map(String).join(".") || "activity";
  const what = issue.code === "invalid_type" ? `expected ${issue.expected}` : issue.message;
  return `malformed activity: ${where}: ${what}`.slice(0, 200);
}
