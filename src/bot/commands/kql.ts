// "kql <query>": raw KQL against the resources' Log Analytics workspaces, for the people an access
// rule or `kql.allowedUsers` allows (the conversation checks the grant). The query is run as typed, once chat markup
// is taken off it (a ``` fence, Slack's &lt;/&gt;/&amp; and <link|label> forms, smart quotes); the
// query layer runs it read-only with a row limit and a server timeout. Chat shows `maxRows` rows;
// Slack gets every row as a CSV file.
import { InvalidWindowError, UserError } from "../../queries/errors.ts";
import type { WindowSpec } from "../../queries/question.ts";
import type { RawKqlQuestion } from "../../queries/table-questions.ts";
import type { Logger } from "../../log/logger.ts";
import type { Place } from "../asker.ts";
import { composeReply } from "../compose.ts";
import { composeTable } from "../compose-table.ts";
import { message, type Message } from "../message.ts";
import { extractWindow } from "../time-phrases.ts";
import { LOG_QUESTIONS } from "./logs.ts";
import type { Command } from "./command.ts";

export interface KqlOptions {
  /** `kql.maxRows`: rows shown in chat. */
  readonly maxRows: number;
  /** Who ran which query is logged: raw queries read whatever the workspace holds. */
  readonly logger?: Logger;
}

/** Someone the default policy covers, and not in `kql.allowedUsers`, typed `kql …`. */
export class KqlNotAllowedError extends UserError {
  readonly code = "kql_not_allowed";
}

/** Raw queries read the last 24 hours unless `--window` says otherwise. */
export const KQL_DEFAULT_WINDOW: WindowSpec = { kind: "relative", minutes: 1440 };

export const KQL_USAGE: readonly string[] = [
  "Raw KQL (where an access rule or `kql.allowedUsers` allows it): `kql [--window 1h|24h|7d|today|yesterday] <query>` runs the query on the resources' workspaces over the last 24 hours (or the window given); a ``` code block works too.",
];

const WINDOW_OPTION = /^--window(?:\s*=\s*|\s+)(\S+)\s*/i;

export function kqlCommand(options: KqlOptions): Command {
  return {
    name: "kql",
    words: ["kql"],
    waitsOnAzure: true,
    access: "kql",
    usage: KQL_USAGE,
    run: async ({ text, args, place, bot }) => {
      let question: RawKqlQuestion | undefined;
      try {
        question = readKql(args, place.platform);
      } catch (err) {
        return composeReply(bot.failure(err, text), text);
      }
      if (question === undefined) return kqlUsage();
      options.logger?.info({ platform: place.platform, user: place.user, query: question.query.slice(0, 2000) }, "raw kql asked");
      const reply = await bot.answerTable(question);
      return reply.kind === "table" ? composeTable(reply.answer, { asked: text, question, maxRows: options.maxRows }) : composeReply(reply, text);
    },
  };
}

/** The question `kql <args>` asks, or undefined when no query was given. */
export function readKql(args: string, platform: string): RawKqlQuestion | undefined {
  let rest = args.trim();
  let window = KQL_DEFAULT_WINDOW;
  const option = WINDOW_OPTION.exec(rest);
  if (option) {
    window = kqlWindow(option[1] ?? "");
    rest = rest.slice(option[0].length);
  }
  const query = plainQuery(rest, platform);
  if (query === "") return undefined;
  return { kind: "kql", topic: "Raw KQL", query, window, notes: [] };
}

function kqlWindow(value: string): WindowSpec {
  const read = extractWindow(value.toLowerCase());
  if (read === undefined || read.rest.trim() !== "") {
    throw new InvalidWindowError(`"--window ${value}" is not a window I read.`, { hint: "Use one word: `30m`, `1h`, `24h`, `7d`, `today` or `yesterday`, e.g. `kql --window 1h AzureDiagnostics | take 10`." });
  }
  return read.window;
}

/** The query without chat markup: a code fence or inline code around it, Slack's escapes and links, typographic quotes. */
export function plainQuery(typed: string, platform: string): string {
  let q = typed.trim();
  // a language tag only on a line of its own: "```AzureDiagnostics | take 5```" is all query
  const fenced = /^```(?:(?:kql|kusto|sql|text)[ \t]*(?=\n))?\n?([\s\S]*?)\n?```$/i.exec(q);
  if (fenced) q = fenced[1] ?? "";
  else if (/^`[^`]+`$/.test(q)) q = q.slice(1, -1);
  if (platform === "slack") {
    // Slack sends <, > and & escaped, and links as <url|label> or <mailto:x|x>
    q = q
      .replace(/<mailto:[^|>]*\|([^>]*)>/g, "$1")
      .replace(/<((?:https?|ftp):\/\/[^|>]*)(?:\|[^>]*)?>/g, "$1")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  }
  return q
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/\u00a0/g, " ")
    .trim();
}

export function notAllowed(place: Place, allowedUsers: readonly string[]): KqlNotAllowedError {
  const id = place.user === undefined ? place.platform : `${place.platform}:${place.user}`;
  const off = allowedUsers.length === 0;
  return new KqlNotAllowedError(off ? "Raw KQL is turned off on this bot: `kql.allowedUsers` is empty." : "Only the people listed in `kql.allowedUsers` may run raw KQL.", {
    hint: `Whoever runs the bot can allow you by adding \`${id}\` to \`kql.allowedUsers\` in aoai.config.yaml. An access rule that allows kql does it too; the built-in log questions need neither.`,
    examples: LOG_QUESTIONS.slice(0, 3),
  });
}

function kqlUsage(): Message {
  return message("notice", "info", "Run a KQL query", {
    lines: [
      "`kql <query>` runs the query on the Log Analytics workspaces of the configured resources, read-only, over the last 24 hours; `kql --window 1h <query>` (or `30m`, `7d`, `today`, `yesterday`) reads another window.",
      "A ``` code block around the query works too. Chat shows the first rows; in Slack the whole result comes as a CSV file.",
    ],
    actionsTitle: "Or ask a built-in log question:",
    actions: LOG_QUESTIONS.slice(0, 3).map((q) => ({ label: q, followUp: { kind: "ask", text: q } })),
  });
}
