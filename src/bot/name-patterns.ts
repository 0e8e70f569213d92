// A configured deployment name as a word of lower-case text, compiled once per name: every parse
// looks for each name several times (topics, table phrasings, filters), so building the pattern
// per look dominated short questions.

const PATTERNS = new Map<string, RegExp>();
/** Names come from configuration and the resources; more than this means something odd, so start afresh. */
const MAX_PATTERNS = 1000;

/**
 * The name, not inside a longer name ("gpt-4o" in "gpt-4o-mini"), a version ("gpt-4o.1") or a
 * path. Global, and handed out with lastIndex 0, so `test` then `replace` read the whole text.
 */
export function namePattern(name: string): RegExp {
  let re = PATTERNS.get(name);
  if (re === undefined) {
    re = new RegExp(`(?<![a-z0-9._-])${escapeRe(name.toLowerCase())}(?![a-z0-9_-]|\\.[a-z0-9])`, "g");
    if (PATTERNS.size >= MAX_PATTERNS) PATTERNS.clear();
    PATTERNS.set(name, re);
  }
  re.lastIndex = 0;
  return re;
}

/**
 * The names of `names` that may occur in `text`, longest first (the order they are read in, so
 * "gpt-4o" is not read inside "gpt-4o-mini"). A name's pattern matches its lower-case text, so a
 * name the text doesn't contain is dropped without running its pattern; blanking another name
 * only turns characters into spaces, so no name without a space can appear later.
 */
export function namesIn(text: string, names: readonly string[]): string[] {
  const { lower, spaced } = lowered(names);
  const found = names.filter((_, i) => spaced[i] === true || text.includes(lower[i]!));
  return found.length < 2 ? found : found.sort((a, b) => b.length - a.length);
}

/** The last list of names read, lower-cased: a question reads the same deployments several times. */
let last: { readonly names: readonly string[]; readonly copy: readonly string[]; readonly lower: readonly string[]; readonly spaced: readonly boolean[] } | undefined;

function lowered(names: readonly string[]): { readonly lower: readonly string[]; readonly spaced: readonly boolean[] } {
  // the same array with the same names (a caller may change its array between questions)
  if (last !== undefined && last.names === names && last.copy.length === names.length && last.copy.every((n, i) => n === names[i])) return last;
  last = { names, copy: [...names], lower: names.map((n) => n.toLowerCase()), spaced: names.map((n) => /\s/.test(n)) };
  return last;
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
