// Typos inside multi-word phrases ("succes rate", "sucess rate gpt-4o"): each word of a phrase is
// matched on its own, a long word within one or two edits, a short one ("rate", "per") exactly.
// Only words that are nothing else may be a slip: "tokens latency" is two signals, not "token latency".
// Work is bounded by words × phrases × the length of a word: linear in the question.

export interface FuzzyPhrase<T> {
  readonly words: readonly string[];
  readonly value: T;
}

export function takeFuzzyPhrases<T>(rest: string, phrases: readonly FuzzyPhrase<T>[], canSlip: (word: string) => boolean, distance: (a: string, b: string) => number, found: (value: T) => void): string {
  const tokens = wordsOf(rest);
  const slippable = tokens.map((t) => /^[a-z]+$/.test(t.word) && canSlip(t.word));
  const near = (i: number, w: string): boolean => {
    const t = tokens[i]!;
    if (t.word === w) return true;
    if (w.length < 5 || !slippable[i] || Math.abs(t.word.length - w.length) > 2) return false;
    return distance(t.word, w) <= (w.length >= 9 ? 2 : 1);
  };
  const index = indexOf(phrases);
  let out = rest;
  for (let i = 0; i < tokens.length; i++) {
    // only phrases whose first word is near this token can match here; tried in the table's order
    const word = tokens[i]!.word;
    let starts = index.byFirst.get(word) ?? NONE;
    if (slippable[i]) {
      for (const first of index.slippable) {
        if (first !== word && Math.abs(first.length - word.length) <= 2 && near(i, first)) starts = [...starts, ...(index.byFirst.get(first) ?? NONE)];
      }
      if (starts.length > 1) starts = [...starts].sort((a, b) => a - b);
    }
    const at = starts.find((k) => {
      const p = phrases[k]!;
      return i + p.words.length <= tokens.length && p.words.every((w, j) => (j === 0 || tokens[i + j]!.start === tokens[i + j - 1]!.end + 1) && near(i + j, w));
    });
    const hit = at === undefined ? undefined : phrases[at];
    if (!hit) continue;
    found(hit.value);
    const last = tokens[i + hit.words.length - 1]!;
    out = out.slice(0, tokens[i]!.start) + " ".repeat(last.end - tokens[i]!.start) + out.slice(last.end);
    i += hit.words.length - 1;
  }
  return out;
}

const NONE: readonly number[] = [];

interface PhraseIndex {
  /** Positions of the phrases by their first word, ascending. */
  readonly byFirst: ReadonlyMap<string, readonly number[]>;
  /** First words long enough (5 letters) to be matched with a slip. */
  readonly slippable: readonly string[];
}

const INDEXES = new WeakMap<readonly FuzzyPhrase<unknown>[], PhraseIndex>();

/** Each table of phrases indexed once, the first time it is read. */
function indexOf(phrases: readonly FuzzyPhrase<unknown>[]): PhraseIndex {
  let index = INDEXES.get(phrases);
  if (index === undefined) {
    const byFirst = new Map<string, number[]>();
    phrases.forEach((p, k) => {
      const first = p.words[0] ?? "";
      byFirst.set(first, [...(byFirst.get(first) ?? []), k]);
    });
    index = { byFirst, slippable: [...byFirst.keys()].filter((w) => w.length >= 5) };
    INDEXES.set(phrases, index);
  }
  return index;
}

interface Token {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

/** The runs of non-whitespace, as /\S+/g finds them, without a match object per word. */
function wordsOf(text: string): Token[] {
  const tokens: Token[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const space = i === text.length || isSpace(text.charCodeAt(i));
    if (space && start >= 0) {
      tokens.push({ word: text.slice(start, i), start, end: i });
      start = -1;
    } else if (!space && start < 0) start = i;
  }
  return tokens;
}

/** What \s matches: ECMAScript white space and line terminators. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
