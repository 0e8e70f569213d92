// Tables of patterns (time rules, table phrasings, aggregation words) are tried row by row, and
// most questions match none of a table's rows, or only a late one. One regex that matches wherever
// any row matches answers "none of them" in one scan instead of one scan per row; the rows are
// then tried in their order only when it says some may. Built on first use, not at import.

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

/** A gate over `patterns`, built the first time it is asked. */
export function lazyGate(patterns: () => readonly RegExp[]): (text: string) => boolean {
  let gate: RegExp | undefined;
  return (text) => (gate ??= anyPattern(patterns())).test(text);
}

/** Rows per chunk: a question that matches a late row tests a few chunk gates, then a few rows. */
const CHUNK = 6;

/**
 * A table's rows tried in their order, as a loop over them would: the first row whose pattern
 * matches wins. A gate over the whole table, then one per chunk of rows, skips rows that can't match.
 */
export class GatedRows<R> {
  readonly #rows: readonly R[];
  readonly #pattern: (row: R) => RegExp;
  #gates: { all: RegExp; chunks: readonly RegExp[] } | undefined;

  constructor(rows: readonly R[], pattern: (row: R) => RegExp) {
    this.#rows = rows;
    this.#pattern = pattern;
  }

  /** The first row whose pattern matches `text`, with its match (the row's own `exec`). */
  first(text: string): { row: R; m: RegExpExecArray } | undefined {
    const gates = (this.#gates ??= this.#build());
    if (!gates.all.test(text)) return undefined;
    for (let c = 0; c < gates.chunks.length; c++) {
      if (!gates.chunks[c]!.test(text)) continue;
      for (let i = c * CHUNK; i < Math.min(this.#rows.length, (c + 1) * CHUNK); i++) {
        const row = this.#rows[i]!;
        const m = this.#pattern(row).exec(text);
        if (m) return { row, m };
      }
    }
    return undefined;
  }

  #build(): { all: RegExp; chunks: readonly RegExp[] } {
    const patterns = this.#rows.map(this.#pattern);
    const chunks: RegExp[] = [];
    for (let i = 0; i < patterns.length; i += CHUNK) chunks.push(anyPattern(patterns.slice(i, i + CHUNK)));
    return { all: anyPattern(patterns), chunks };
  }
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
