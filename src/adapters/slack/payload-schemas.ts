// The shapes of the signed Slack requests this app acts on, one schema per payload kind. A signed body
// is still only trusted as far as its shape: Bolt and our handlers read these fields without checking,
// so a body that does not fit is refused here (400) instead of failing deep inside (500).
// Bodies are told apart the way Bolt tells them apart (App.processEvent → getTypeAndConversation), so
// what is checked here is what Bolt goes on to dispatch. Kinds the app has no listener for are
// acknowledged and never reach Bolt.
import { z } from "zod";

/** Trigger and event ids and message timestamps: short, printable, never NUL (PostgreSQL can't store it). */
const MAX_ID = 255;
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u001f\u007f]/;
const id = z
  .string()
  .min(1)
  .max(MAX_ID)
  .refine((s) => !CONTROL.test(s), { error: "must not contain NUL or other control characters" });
/**
 * Team, enterprise, app, channel and user ids are uppercase letters and digits. Bolt keys its client
 * pools by team id, so "__proto__" or "constructor" there is not just odd but a crash.
 */
const slackId = id.regex(/^[A-Z0-9]{1,64}$/, "must be a Slack id (uppercase letters and digits)");
const text = z.string();
const url = z.url({ protocol: /^https?$/ });
/** Fields Bolt's own routing reads on any event, with the types it assumes (helpers.getTypeAndConversation, App.buildSource). */
const boltEventFields = {
  channel: slackId,
  channel_id: slackId.optional(),
  user: slackId.optional(),
  item: z.looseObject({}).optional(),
  subteam: z.looseObject({}).optional(),
  assistant_thread: z.looseObject({}).optional(),
  message: z.looseObject({}).optional(),
  previous_message: z.looseObject({}).optional(),
  ts: id.optional(),
  thread_ts: id.optional(),
  event_ts: id.optional(),
  bot_id: slackId.nullable().optional(),
};

const appMention = z.looseObject({ ...boltEventFields, type: z.literal("app_mention"), text, ts: id });
const message = z.looseObject({ ...boltEventFields, type: z.literal("message"), text: text.optional(), subtype: z.string().optional(), channel_type: z.string().optional() });

/** Events the app listens to; any other well-formed event is acknowledged and dropped. */
const LISTENED_EVENTS: Readonly<Record<string, z.ZodType>> = { app_mention: appMention, message };

const authorization = z.looseObject({ team_id: slackId.nullable().optional(), enterprise_id: slackId.nullable().optional(), user_id: slackId.optional(), is_bot: z.boolean().optional(), is_enterprise_install: z.boolean().optional() });
const eventEnvelope = z.looseObject({
  type: z.literal("event_callback"),
  event_id: id,
  team_id: slackId.optional(),
  enterprise_id: slackId.nullable().optional(),
  api_app_id: slackId.optional(),
  is_enterprise_install: z.boolean().optional(),
  authorizations: z.array(authorization).optional(),
  event: z.looseObject({ type: z.string().min(1) }),
});

const urlVerification = z.looseObject({ type: z.literal("url_verification"), challenge: z.string().min(1).max(MAX_ID) });

/** A slash command as Slack form-encodes it: every field a single string (a repeated field parses as a list). */
const slashCommand = z.looseObject({
  command: z.string().regex(/^\/\S+$/, "must be a slash command such as /aoai"),
  text,
  team_id: slackId,
  channel_id: slackId,
  user_id: slackId,
  trigger_id: id,
  response_url: url,
  enterprise_id: slackId.optional(),
  api_app_id: slackId.optional(),
  is_enterprise_install: z.enum(["true", "false"]).optional(),
});

const blockActions = z.looseObject({
  type: z.literal("block_actions"),
  user: z.looseObject({ id: slackId, team_id: slackId.optional() }),
  team: z.looseObject({ id: slackId, enterprise_id: slackId.optional() }).nullable().optional(),
  enterprise: z.looseObject({ id: slackId }).nullable().optional(),
  channel: z.looseObject({ id: slackId }).optional(),
  container: z.looseObject({ channel_id: slackId.optional(), message_ts: id.optional(), is_ephemeral: z.boolean().optional() }).optional(),
  message: z.looseObject({ ts: id }).optional(),
  response_url: url.optional(),
  trigger_id: id.optional(),
  is_enterprise_install: z.boolean().optional(),
  actions: z.array(z.looseObject({ type: z.string().min(1), action_id: z.string().min(1).max(MAX_ID), block_id: z.string().optional(), value: z.string().optional() })).min(1),
});

export type PayloadVerdict =
  /** Well-formed and listened to: Bolt dispatches it. */
  | { readonly verdict: "dispatch"; readonly kind: string }
  /** Well-formed, but nothing here acts on it: 200 and nothing more. */
  | { readonly verdict: "acknowledge"; readonly kind: string }
  | { readonly verdict: "malformed"; readonly kind: string; readonly reason: string };

type Body = Record<string, unknown>;

interface PayloadKind {
  readonly kind: string;
  /** The same test Bolt applies, in Bolt's order: the first kind that matches decides. */
  readonly matches: (body: Body) => boolean;
  readonly check: (body: Body) => PayloadVerdict;
}

const dispatchIf = (kind: string, schema: z.ZodType) => (body: Body): PayloadVerdict => {
  const parsed = schema.safeParse(body);
  return parsed.success ? { verdict: "dispatch", kind } : { verdict: "malformed", kind, reason: firstIssue(parsed.error) };
};
const acknowledge = (kind: string) => (): PayloadVerdict => ({ verdict: "acknowledge", kind });

const KINDS: readonly PayloadKind[] = [
  // Bolt answers ssl_check itself before any routing; nothing to dispatch
  { kind: "ssl_check", matches: (b) => Boolean(b.ssl_check), check: acknowledge("ssl_check") },
  { kind: "url_verification", matches: (b) => b.type === "url_verification", check: dispatchIf("url_verification", urlVerification) },
  {
    kind: "event",
    matches: (b) => b.event !== undefined || b.type === "event_callback",
    check: (body) => {
      const envelope = dispatchIf("event", eventEnvelope)(body);
      if (envelope.verdict !== "dispatch") return envelope;
      const type = (body.event as { type: string }).type;
      // own keys only: an event type of "constructor" or "__proto__" must not find Object's members
      const schema = Object.hasOwn(LISTENED_EVENTS, type) ? LISTENED_EVENTS[type] : undefined;
      if (schema === undefined) return { verdict: "acknowledge", kind: `event ${label(type)}` };
      const event = schema.safeParse(body.event);
      return event.success ? { verdict: "dispatch", kind: `event ${type}` } : { verdict: "malformed", kind: `event ${type}`, reason: firstIssue(event.error, "event") };
    },
  },
  { kind: "slash command", matches: (b) => b.command !== undefined, check: dispatchIf("slash command", slashCommand) },
  // options for external selects: the app offers none (Bolt would route any body with a `name` here)
  { kind: "options", matches: (b) => b.name !== undefined || b.type === "block_suggestion", check: acknowledge("options") },
  { kind: "block_actions", matches: (b) => b.type === "block_actions", check: dispatchIf("block_actions", blockActions) },
  // legacy attachment buttons, dialogs, shortcuts, views, app_rate_limited: the app uses none of them
  { kind: "other", matches: (b) => b.actions !== undefined || typeof b.type === "string", check: (b) => ({ verdict: "acknowledge", kind: typeof b.type === "string" ? label(b.type) : "interaction" }) },
];

/** What to do with a signed request's parsed body. */
export function checkPayload(body: unknown): PayloadVerdict {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { verdict: "malformed", kind: "body", reason: "the body is not an object" };
  const b = body as Body;
  const kind = KINDS.find((k) => k.matches(b));
  return kind ? kind.check(b) : { verdict: "malformed", kind: "body", reason: "not a slash command, event or interaction" };
}

const MAX_REASON = 200;

/** A type name from the request, fit for a log line. */
function label(s: string): string {
  return JSON.stringify(s.slice(0, 64));
}

/** "event.text: Invalid input: expected string, received number": enough to find the bad field. */
function firstIssue(error: z.ZodError, prefix?: string): string {
  const issue = error.issues[0];
  if (issue === undefined) return "malformed";
  const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join(".");
  return `${path || "body"}: ${issue.message}`.slice(0, MAX_REASON);
}
