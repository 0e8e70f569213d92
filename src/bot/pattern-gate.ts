// Tables of patterns (time rules, table phrasings, aggregation words) are tried row by row, and
// most questions match none of a table's rows, or only a late one. The literals each row's pattern
// can't match without (pattern-literals.ts), looked up together, answer "none of them" in one scan
// instead of one scan per row; the rows are then tried in their order only where they may match.
// Built on first use, not at import.
import { escapeRe } from "./name-patterns.ts";
import { requiredLiterals } from "./pattern-literals.ts";

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

/** A gate over `patterns`, built the first time it is asked: false means none of them matches, true only that one may. */
export function lazyGate(patterns: () => readonly RegExp[]): (text: string) => boolean {
  let gate: RegExp | undefined;
  return (text) => (gate ??= gateOf(patterns())).test(text);
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
 * (pattern-literals.ts); a test of all rows' literals, then of each chunk's, skips many at once.
 */
export class GatedRows<R> {
  readonly #rows: readonly R[];
  readonly #pattern: (row: R) => RegExp;
  #built: { top: RegExp | undefined; chunks: readonly Chunk<R>[]; sets: readonly ((text: string) => boolean)[] } | undefined;
  /** Per literal set, whether the text being read has one: 0 not asked yet, 1 yes, 2 no. */
  #answers = new Uint8Array(0);

  constructor(rows: readonly R[], pattern: (row: R) => RegExp) {
    this.#rows = rows;
    this.#pattern = pattern;
  }

  /** The first row whose pattern matches `text`, with its match (the row's own `exec`). */
  first(text: string): { row: R; m: RegExpExecArray } | undefined {
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
