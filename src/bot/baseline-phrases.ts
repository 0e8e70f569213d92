// "vs yesterday", "than last week", "same time yesterday": what the window is compared with,
// lifted out of the text before the time grammar sees "yesterday" (which would become the window).
import type { Question } from "../queries/question.ts";

type Asked = NonNullable<Question["baseline"]>;

const SHIFTS: readonly { readonly pattern: RegExp; readonly baseline: Asked }[] = [
  { pattern: /\b(?:(?:vs\.?|versus|than|compared (?:to|with)|against|from)\s+)?(?:the\s+)?same\s+time\s+(?:yesterday|a\s+day\s+ago)\b/, baseline: "day-before" },
  { pattern: /\b(?:(?:vs\.?|versus|than|compared (?:to|with)|against|from)\s+)?(?:the\s+)?same\s+time\s+(?:last\s+week|a\s+week\s+ago)\b/, baseline: "week-before" },
  { pattern: /\b(?:vs\.?|versus|than|compared (?:to|with)|against)\s+(?:yesterday|a\s+day\s+ago)\b/, baseline: "day-before" },
  { pattern: /\b(?:vs\.?|versus|than|compared (?:to|with)|against)\s+(?:last\s+week|a\s+week\s+ago)\b/, baseline: "week-before" },
];

export function extractBaseline(text: string): { readonly baseline: Asked; readonly rest: string } | undefined {
  for (const { pattern, baseline } of SHIFTS) {
    const m = pattern.exec(text);
    if (m) return { baseline, rest: text.slice(0, m.index) + " ".repeat(m[0].length) + text.slice(m.index + m[0].length) };
  }
  return undefined;
}
