// Tables of patterns (time rules, table phrasings, aggregation words) are tried row by row, and
// most questions match none of a table's rows, or only a late one. The literals each row's pattern
// can't match without (below), looked up together, answer "none of them" in one scan
// instead of one scan per row; the rows are then tried in their order only where they may match.
// Built after a few reads (READS_BEFORE_GATES), not at import.
import { escapeRe } from "./name-patterns.ts";

/**
 * One regex that finds a match in a text exactly when at least one of `patterns` does: their
 * alternation. Capturing and named groups become plain groups (a test reads no groups, and
 * names may repeat across rows); flags must agree apart from g/y/d, which a test ignores.
 */
export function anyPattern(patterns: readonly RegExp[]): RegExp {
  const flags = new Set(patterns.map((p) => p.flags.replace(/[gyd]/g, "")));
  if (flags.size > 1) throw new Error(`patterns with different flags can't share one gate: ${[...flags].join(", ")}`);
  const [only = ""] = flags;
  return new RegExp(patterns.map((p) => `(?:${withoutCaptures(p.source)})`).join("|") || "(?!)", only);
}

/**
 * A test that is true wherever one of `patterns` matches (and maybe elsewhere): the patterns'
 * required literals as one alternation when each has some, their own alternation otherwise.
 */
export function gateOf(patterns: readonly RegExp[]): RegExp {
  const literals = patterns.map(requiredLiterals);
  return literals.every((l) => l !== undefined) ? literalPattern(literals.flat()) : anyPattern(patterns);
}

/**
 * Reads of a table before its gates are built. Reading the patterns' literals costs a few
 * milliseconds of cold code, more than a few plain loops: a process that answers one question
 * (`aoai ask`) never pays it, a server pays it once.
 */
export const READS_BEFORE_GATES = 8;

/** A gate over `patterns`, built after a few reads: false means none of them matches, true only that one may. */
export function lazyGate(patterns: () => readonly RegExp[]): (text: string) => boolean {
  let gate: RegExp | undefined;
  let reads = 0;
  return (text) => {
    if (gate === undefined) {
      if (++reads <= READS_BEFORE_GATES) return true;
      gate = gateOf(patterns());
    }
    return gate.test(text);
  };
}

function literalPattern(literals: readonly string[]): RegExp {
  return new RegExp([...new Set(literals)].map(escapeRe).join("|"));
}

/** Rows per chunk: a question that matches a late row tests a few chunk gates, then a few rows. */
const CHUNK = 6;

interface Row<R> {
  readonly row: R;
  readonly pattern: RegExp;
  /** Which of the table's literal sets the pattern needs one of (rows often share one); -1: none known. */
  readonly needs: number;
}

interface Chunk<R> {
  readonly rows: readonly Row<R>[];
  /** The literals of all its rows, when each row has some. */
  readonly gate: RegExp | undefined;
}

/**
 * A table's rows tried in their order, as a loop over them would: the first row whose pattern
 * matches wins. A row is skipped when the text lacks every literal its pattern needs
 * (requiredLiterals); a test of all rows' literals, then of each chunk's, skips many at once.
 * The first few reads are that plain loop (READS_BEFORE_GATES).
 */
export class GatedRows<R> {
  readonly #rows: readonly R[];
  readonly #pattern: (row: R) => RegExp;
  #built: { top: RegExp | undefined; chunks: readonly Chunk<R>[]; sets: readonly ((text: string) => boolean)[] } | undefined;
  #reads = 0;
  /** Per literal set, whether the text being read has one: 0 not asked yet, 1 yes, 2 no. */
  #answers = new Uint8Array(0);

  constructor(rows: readonly R[], pattern: (row: R) => RegExp) {
    this.#rows = rows;
    this.#pattern = pattern;
  }

  /** The first row whose pattern matches `text`, with its match (the row's own `exec`). */
  first(text: string): { row: R; m: RegExpExecArray } | undefined {
    if (this.#built === undefined && ++this.#reads <= READS_BEFORE_GATES) {
      for (const row of this.#rows) {
        const m = this.#pattern(row).exec(text);
        if (m) return { row, m };
      }
      return undefined;
    }
    const { top, chunks, sets } = (this.#built ??= this.#build());
    // no literal of any row with literals: only rows without known literals can match
    const literal = top === undefined || top.test(text);
    const answers = this.#answers;
    answers.fill(0);
    for (const chunk of chunks) {
      if (chunk.gate !== undefined && (!literal || !chunk.gate.test(text))) continue;
      for (const r of chunk.rows) {
        if (r.needs >= 0) {
          if (!literal) continue;
          if (answers[r.needs] === 0) answers[r.needs] = sets[r.needs]!(text) ? 1 : 2;
          if (answers[r.needs] === 2) continue;
        }
        const m = r.pattern.exec(text);
        if (m) return { row: r.row, m };
      }
    }
    return undefined;
  }

  #build(): { top: RegExp | undefined; chunks: readonly Chunk<R>[]; sets: readonly ((text: string) => boolean)[] } {
    const setIds = new Map<string, number>();
    const sets: ((text: string) => boolean)[] = [];
    const rows = this.#rows.map((row): Row<R> & { literals: readonly string[] | undefined } => {
      const pattern = this.#pattern(row);
      const literals = requiredLiterals(pattern);
      if (literals === undefined) return { row, pattern, literals, needs: -1 };
      const key = [...literals].sort().join("\u0000");
      let needs = setIds.get(key);
      if (needs === undefined) {
        needs = sets.push(mayContain(literals)) - 1;
        setIds.set(key, needs);
      }
      return { row, pattern, literals, needs };
    });
    this.#answers = new Uint8Array(sets.length);
    const chunks: Chunk<R>[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      const all = part.map((r) => r.literals);
      chunks.push({ rows: part, gate: part.length > 1 && all.every((l) => l !== undefined) ? literalPattern(all.flat()) : undefined });
    }
    const withLiterals = rows.flatMap((r) => r.literals ?? []);
    return { top: withLiterals.length > 0 ? literalPattern(withLiterals) : undefined, chunks, sets };
  }
}

/** A few literals are looked up one by one; more are one alternation. */
function mayContain(literals: readonly string[]): (text: string) => boolean {
  if (literals.length <= 3) return (text) => literals.some((l) => text.includes(l));
  const re = literalPattern(literals);
  return (text) => re.test(text);
}

/**
 * The source with every capturing group made non-capturing; lookarounds and escapes are kept. A
 * back-reference would change meaning once its group is gone, so it is refused.
 */
function withoutCaptures(source: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      if (!inClass && (/[1-9]/.test(next) || next === "k")) throw new Error(`back-references can't be gated: /${source}/`);
      out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      continue;
    }
    if (c === "(") {
      if (source[i + 1] !== "?") {
        out += "(?:";
        continue;
      }
      // (?<name>…) is a named group; (?<=…) and (?<!…) are lookbehinds
      const named = /^\(\?<([A-Za-z_$][\w$]*)>/.exec(source.slice(i));
      if (named) {
        out += "(?:";
        i += named[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

// --- Literals a regex can't match without: for /\b(?:last|past)\s+\d+\s*h\b/ every match contains
// "last" or "past". A text holding none of a pattern's literals can't match it, and finding a few
// literals is cheaper than running the pattern. The analysis reads the pattern's source; whatever
// it doesn't follow (classes, escapes like \d, modifiers) counts as "could be anything", so the
// literals found are always necessary, never a guess.

/** Exact strings kept per part before it is treated as "anything". */
const LIMIT = 32;

interface Info {
  /** Every string the part can match, when there are few; null otherwise. */
  readonly exact: readonly string[] | null;
  /** Strings one of which every match contains; null when none is known. */
  readonly any: readonly string[] | null;
}

const ANYTHING: Info = { exact: null, any: null };
const EMPTY: Info = { exact: [""], any: null };

/**
 * Strings of which every match of `re` contains at least one (each at least two characters), or
 * undefined when the pattern has none or flags (i, u, v, m, s) the analysis doesn't read.
 */
export function requiredLiterals(re: RegExp): readonly string[] | undefined {
  // a pattern in two tables (all phrasings, those that don't need the logs) is read once
  if (READ.has(re)) return READ.get(re);
  const literals = literalsOf(re);
  READ.set(re, literals);
  return literals;
}

const READ = new WeakMap<RegExp, readonly string[] | undefined>();

function literalsOf(re: RegExp): readonly string[] | undefined {
  if (/[^gyd]/.test(re.flags)) return undefined;
  try {
    const parser = new Parser(re.source);
    const info = parser.disjunction();
    if (parser.at < re.source.length) return undefined;
    const lits = usable(info);
    return lits && lits.every((l) => l.length >= 2) ? [...new Set(lits)] : undefined;
  } catch {
    return undefined;
  }
}

function usable(info: Info): readonly string[] | null {
  if (info.any) return info.any;
  return info.exact && info.exact.every((s) => s.length > 0) ? info.exact : null;
}

/** The better of two candidate sets: each string 3+ characters, then fewer strings, then longer. */
function better(a: readonly string[] | null, b: readonly string[] | null): readonly string[] | null {
  const [la, lb] = [shortest(a), shortest(b)];
  if (la === 0) return lb === 0 ? null : b;
  if (lb === 0) return a;
  if (la >= 3 !== lb >= 3) return la >= 3 ? a : b;
  if (a!.length !== b!.length) return a!.length < b!.length ? a : b;
  return lb > la ? b : a;
}

/** The length of the shortest string, 0 for no set or an empty one. */
function shortest(x: readonly string[] | null): number {
  if (!x || x.length === 0) return 0;
  let min = Infinity;
  for (const s of x) if (s.length < min) min = s.length;
  return min;
}

function product(a: readonly string[], b: readonly string[]): string[] {
  return a.flatMap((x) => b.map((y) => x + y));
}

const SPECIAL = new Set("\\^$.|?*+()[]{}");
const QUANTIFIERS = new Set("?*+{");

class Parser {
  at = 0;
  readonly #src: string;

  constructor(src: string) {
    this.#src = src;
  }

  disjunction(): Info {
    const alternatives = [this.#alternative()];
    while (this.#src[this.at] === "|") {
      this.at++;
      alternatives.push(this.#alternative());
    }
    if (alternatives.length === 1) return alternatives[0]!;
    const exact = alternatives.every((a) => a.exact) ? [...new Set(alternatives.flatMap((a) => a.exact!))] : null;
    const anys = alternatives.map(usable);
    return { exact: exact && exact.length <= LIMIT ? exact : null, any: anys.every((a) => a) ? [...new Set(anys.flatMap((a) => a!))] : null };
  }

  #alternative(): Info {
    let run: readonly string[] = [""];
    let whole = true;
    let best: readonly string[] | null = null;
    while (this.at < this.#src.length && this.#src[this.at] !== "|" && this.#src[this.at] !== ")") {
      const term = this.#literalRun() ?? this.#quantified(this.#atom());
      if (term.exact && run.length * term.exact.length <= LIMIT) {
        run = product(run, term.exact);
        continue;
      }
      whole = false;
      best = better(better(best, run), term.any);
      run = term.exact ?? [""];
    }
    if (whole) return { exact: run, any: better(best, run) };
    return { exact: null, any: better(best, run) };
  }

  /** Plain characters up to the next special one, read at once (a quantified last character is left to #atom). */
  #literalRun(): Info | undefined {
    const src = this.#src;
    let end = this.at;
    while (end < src.length && !SPECIAL.has(src[end]!)) end++;
    if (end < src.length && QUANTIFIERS.has(src[end]!)) end--;
    if (end <= this.at) return undefined;
    const run = src.slice(this.at, end);
    this.at = end;
    return { exact: [run], any: null };
  }

  #quantified(atom: Info): Info {
    const src = this.#src;
    const c = src[this.at];
    let min: number;
    let max: number;
    if (c === "*" || c === "+" || c === "?") {
      this.at++;
      [min, max] = c === "*" ? [0, Infinity] : c === "+" ? [1, Infinity] : [0, 1];
    } else if (c === "{") {
      // {n}, {n,} or {n,m}; anything else is a literal brace
      const open = this.at;
      const digits = () => {
        const from = this.at;
        while (src[this.at] !== undefined && src[this.at]! >= "0" && src[this.at]! <= "9") this.at++;
        return src.slice(from, this.at);
      };
      this.at++;
      const low = digits();
      let high = low;
      if (src[this.at] === ",") {
        this.at++;
        high = digits();
        if (high === "") high = "Infinity";
      }
      if (low === "" || src[this.at] !== "}") {
        this.at = open;
        return atom;
      }
      this.at++;
      min = Number(low);
      max = Number(high);
    } else return atom;
    if (src[this.at] === "?") this.at++;
    if (min === 0 && max === 1) return { exact: atom.exact ? [...new Set([...atom.exact, ""])] : null, any: null };
    if (min === 0) return ANYTHING;
    if (min === max && atom.exact && atom.exact.length ** min <= LIMIT) {
      let exact: readonly string[] = [""];
      for (let i = 0; i < min; i++) exact = product(exact, atom.exact);
      return { exact, any: null };
    }
    return { exact: null, any: usable(atom) };
  }

  #atom(): Info {
    const src = this.#src;
    const c = src[this.at]!;
    this.at++;
    switch (c) {
      case "^":
      case "$":
        return EMPTY;
      case ".":
        return ANYTHING;
      case "\\":
        return this.#escape();
      case "[":
        return this.#charClass();
      case "(":
        return this.#group();
      case "*":
      case "+":
      case "?":
        throw new Error("nothing to repeat");
      default:
        return { exact: [c], any: null };
    }
  }

  #escape(): Info {
    const c = this.#src[this.at]!;
    this.at++;
    if (c === "b" || c === "B") return EMPTY;
    if (/[dDwWsSpPkcxu0-9]/.test(c)) return ANYTHING;
    const controls: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", f: "\f", v: "\v" };
    if (/[a-zA-Z]/.test(c)) return controls[c] === undefined ? ANYTHING : { exact: [controls[c]], any: null };
    return { exact: [c], any: null };
  }

  #charClass(): Info {
    const src = this.#src;
    const chars = new Set<string>();
    let known = src[this.at] !== "^";
    let prev: string | undefined;
    for (;;) {
      const c = src[this.at];
      if (c === undefined) throw new Error("unterminated class");
      this.at++;
      if (c === "]") break;
      if (c === "\\") {
        const e = src[this.at]!;
        this.at++;
        if (/[a-zA-Z0-9]/.test(e)) known = false;
        else {
          chars.add(e);
          prev = e;
        }
        continue;
      }
      if (c === "-" && prev !== undefined && src[this.at] !== "]") {
        const end = src[this.at]!;
        this.at++;
        if (end === "\\") {
          known = false;
          this.at++;
        } else {
          const [from, to] = [prev.charCodeAt(0), end.charCodeAt(0)];
          if (to - from > 10) known = false;
          else for (let k = from; k <= to; k++) chars.add(String.fromCharCode(k));
        }
        prev = undefined;
        continue;
      }
      chars.add(c);
      prev = c;
    }
    return known && chars.size > 0 && chars.size <= 4 ? { exact: [...chars], any: null } : ANYTHING;
  }

  #group(): Info {
    const src = this.#src;
    let kind: "group" | "look" | "other" = "group";
    if (src[this.at] === "?") {
      const [a, b] = [src[this.at + 1], src[this.at + 2]];
      if (a === ":") this.at += 2;
      else if (a === "=" || a === "!") {
        this.at += 2;
        kind = "look";
      } else if (a === "<" && (b === "=" || b === "!")) {
        this.at += 3;
        kind = "look";
      } else if (a === "<") {
        // a named group, (?<name>…)
        const close = src.indexOf(">", this.at);
        if (close < 0) throw new Error("unclosed group name");
        this.at = close + 1;
      } else {
        // modifiers such as (?i:…) change what the letters match
        kind = "other";
        const colon = src.indexOf(":", this.at);
        if (colon < 0) throw new Error("unknown group");
        this.at = colon + 1;
      }
    }
    const inner = this.disjunction();
    if (src[this.at] !== ")") throw new Error("unclosed group");
    this.at++;
    if (kind === "look") return EMPTY;
    return kind === "other" ? ANYTHING : inner;
  }
}
