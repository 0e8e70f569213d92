// "throtle rate", "% throttled", "share of 429s", "what fraction of calls were throttled": a word for a
// share said beside a count asks for the share (its intent's `share`), never the count. Only words the
// phrase step left unread are seen: "rate limited" and "error rate" have read their own "rate".
import { editDistance } from "../queries/deployments.ts";
import type { Intent } from "./intents.ts";

const SHARE_WORDS: ReadonlySet<string> = new Set(["rate", "rates", "ratio", "ratios", "percent", "percentage", "pct", "share", "fraction", "proportion", "%"]);
/**
 * Slips of these are read too: a letter dropped or doubled ("rte", "rat", "percnt") or two swapped ("raet").
 * A changed letter is not: "rare", "race", "rats" are words of their own; nor a changed first letter ("ate", "date").
 */
const TYPED = ["rate", "percent", "percentage"];
const TOKEN = /%|[a-z]+/g;

function isShareWord(word: string, isVocabulary: (w: string) => boolean): boolean {
  if (SHARE_WORDS.has(word)) return true;
  if (word.length < 3 || isVocabulary(word)) return false;
  return TYPED.some((t) => t.charAt(0) === word.charAt(0) && (t.length === word.length ? swapped(word, t) : Math.abs(t.length - word.length) === 1 && editDistance(word, t) === 1));
}

function swapped(a: string, b: string): boolean {
  let at = 0;
  while (at < a.length && a.charAt(at) === b.charAt(at)) at++;
  return at < a.length && a.charAt(at) === b.charAt(at + 1) && a.charAt(at + 1) === b.charAt(at) && a.slice(at + 2) === b.slice(at + 2);
}

/** Each intent with a share counterpart becomes it when a share word is left unread; the share words are then read. */
export function takeShare(intents: readonly Intent[], rest: string, all: readonly Intent[], isVocabulary: (w: string) => boolean): { intents: Intent[]; rest: string } {
  if (!intents.some((i) => i.share !== undefined)) return { intents: [...intents], rest };
  let found = false;
  const read = rest.replace(TOKEN, (word) => {
    if (!isShareWord(word, isVocabulary)) return word;
    found = true;
    return " ".repeat(word.length);
  });
  if (!found) return { intents: [...intents], rest };
  const shares = intents.map((i) => all.find((o) => o.id === i.share) ?? i);
  return { intents: [...new Set(shares)], rest: read };
}

/** "peak req/min", "max tokens/min": an intent with a peak counterpart becomes it when "peak"/"max" was said. */
export function peakOf(intents: readonly Intent[], all: readonly Intent[]): Intent[] {
  return [...new Set(intents.map((i) => all.find((o) => o.id === i.peak) ?? i))];
}
