// Typos inside multi-word phrases ("succes rate", "sucess rate gpt-4o"): each word of a phrase is
// matched on its own, a long word within one or two edits, a short one ("rate", "per") exactly.
// Only words that are nothing else may be a slip: "tokens latency" is two signals, not "token latency".
// Work is bounded by words × phrases × the length of a word: linear in the question.

export interface FuzzyPhrase<T> {
  readonly words: readonly string[];
  readonly value: T;
}

export function takeFuzzyPhrases<T>(rest: string, phrases: readonly FuzzyPhrase<T>[], canSlip: (word: string) => boolean, distance: (a: string, b: string) => number, found: (value: T) => void): string {
  const tokens = [...rest.matchAll(/\S+/g)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
  const slippable = tokens.map((t) => /^[a-z]+$/.test(t.word) && canSlip(t.word));
  const near = (i: number, w: string): boolean => {
    const t = tokens[i]!;
    if (t.word === w) return true;
    if (w.length < 5 || !slippable[i] || Math.abs(t.word.length - w.length) > 2) return false;
    return distance(t.word, w) <= (w.length >= 9 ? 2 : 1);
  };
  let out = rest;
  for (let i = 0; i < tokens.length; i++) {
    const hit = phrases.find((p) => i + p.words.length <= tokens.length && p.words.every((w, j) => (j === 0 || tokens[i + j]!.start === tokens[i + j - 1]!.end + 1) && near(i + j, w)));
    if (!hit) continue;
    found(hit.value);
    const last = tokens[i + hit.words.length - 1]!;
    out = out.slice(0, tokens[i]!.start) + " ".repeat(last.end - tokens[i]!.start) + out.slice(last.end);
    i += hit.words.length - 1;
  }
  return out;
}
