// The platform-neutral message model: what the bot says, before any platform renders it.
import type { Question } from "../queries/question.ts";
import type { QueryAnswer } from "../queries/result.ts";
import type { TableAnswer } from "../queries/table-answer.ts";
import type { TableQuestion } from "../queries/table-questions.ts";
import type { Verdict } from "./verdict.ts";

export interface ErrorReply {
  readonly kind: "error";
  readonly code: string;
  /** What was wrong, in the user's terms. */
  readonly message: string;
  /** What to try instead. */
  readonly hint?: string;
  readonly examples: readonly string[];
  /** Quoted to operators for internal failures, so logs can be found. */
  readonly reference?: string;
}

/**
 * What the activity log says about a sharp change in a metric answer's window (sharp-change.ts): one
 * line naming the change, or a quiet note when the activity log could not be read.
 */
export type ActivityMention = { readonly kind: "events"; readonly line: string } | { readonly kind: "unread"; readonly note: string };

export type Reply =
  /** `verdict`: health questions lead with one (verdict.ts); `activity`: a sharp change's activity-log events. */
  | { readonly kind: "answer"; readonly question: Question; readonly answer: QueryAnswer; readonly verdict?: Verdict; readonly activity?: ActivityMention }
  /** Resource logs, raw KQL, the activity log, quota: a table (compose-table.ts). */
  | { readonly kind: "table"; readonly question: TableQuestion; readonly answer: TableAnswer }
  | { readonly kind: "help"; readonly examples: readonly string[]; readonly deployments: readonly string[] }
  | ErrorReply;
