// The platform-neutral message model: what the bot says, before any platform renders it.
import type { Question } from "../queries/question.ts";
import type { QueryAnswer } from "../queries/result.ts";
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

export type Reply =
  /** `verdict`: health questions lead with one (verdict.ts). */
  | { readonly kind: "answer"; readonly question: Question; readonly answer: QueryAnswer; readonly verdict?: Verdict }
  | { readonly kind: "help"; readonly examples: readonly string[]; readonly deployments: readonly string[] }
  | ErrorReply;
