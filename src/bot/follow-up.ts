// What a button on an answer asks for next, on any platform. Carried in the button itself (Slack's
// value ≤ 2000 chars, Teams' Action.Execute data), so any replica can serve the click without session state.
import type { Question, WindowSpec } from "../queries/question.ts";
import { readQuestion } from "./context-question.ts";
import { relativeWindow } from "./time-phrases.ts";

/**
 * `question`: the question the answer was for, when its text alone does not ask it (a follow-up such
 * as "what about yesterday?" merged into the conversation's previous question).
 */
export type FollowUp =
  /** Ask the same question over another window, in minutes. */
  | { readonly kind: "window"; readonly text: string; readonly minutes: number; readonly question?: Question }
  | { readonly kind: "split"; readonly text: string; readonly question?: Question }
  | { readonly kind: "refresh"; readonly text: string; readonly question?: Question }
  /** Post the answer for everyone in the channel (from an ephemeral /aoai answer). */
  | { readonly kind: "share"; readonly text: string }
  /** A clicked example question. */
  | { readonly kind: "ask"; readonly text: string };

const MAX_VALUE = 2000;

/** The window a "window" button asks for, under the same limits as a typed one; InvalidWindowError otherwise. */
export function followUpWindow(f: { readonly minutes: number }): WindowSpec {
  return relativeWindow(f.minutes);
}

export function encodeFollowUp(f: FollowUp): string {
  const value = JSON.stringify(f);
  // a question that does not fit is not offered as a button rather than cut into another question
  return value.length <= MAX_VALUE ? value : "";
}

export function decodeFollowUp(value: unknown): FollowUp | undefined {
  if (value === undefined || value === "" || value === null) return undefined;
  try {
    const v = (typeof value === "string" ? JSON.parse(value) : value) as Partial<Record<string, unknown>>;
    if (typeof v !== "object" || typeof v.text !== "string" || v.text.length > MAX_VALUE) return undefined;
    // a question that does not read as one (forged, or from an older version) leaves the text to be asked
    const question = v.question === undefined ? undefined : readQuestion(v.question);
    const asked = question ? { question } : {};
    // any number: a window outside the limits gets the answer a typed one would (followUpWindow)
    if (v.kind === "window" && typeof v.minutes === "number") return { kind: "window", text: v.text, minutes: v.minutes, ...asked };
    if (v.kind === "split" || v.kind === "refresh") return { kind: v.kind, text: v.text, ...asked };
    if (v.kind === "ask" || v.kind === "share") return { kind: v.kind, text: v.text };
    return undefined;
  } catch {
    return undefined;
  }
}
