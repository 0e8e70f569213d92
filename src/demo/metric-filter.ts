// The Metrics REST `$filter` language as Azure Monitor accepts it: `and` of clauses, each a single
// comparison or `or`-ed comparisons of one dimension, optionally in parentheses; `eq '*'` splits.
// Anything else is rejected, so a value that smuggles in quotes can only fail, never change the question.
import { badRequest, type ArmError } from "./arm-error.ts";

export type FilterOperator = "eq" | "ne" | "sw";

export interface Comparison {
  readonly dimension: string;
  readonly operator: FilterOperator;
  readonly value: string;
}

/** One operand of the top-level `and`: its comparisons are `or`-ed and share a dimension. */
export interface FilterClause {
  readonly dimension: string;
  readonly comparisons: readonly Comparison[];
  /** `Dim eq '*'`: one series per value instead of a condition. */
  readonly split: boolean;
}

type Token = { readonly kind: "word"; readonly text: string } | { readonly kind: "string"; readonly text: string } | { readonly kind: "open" | "close" };

export function parseFilter(text: string): FilterClause[] {
  if (text.trim() === "") return [];
  const parser = new Parser(tokenize(text), text);
  const clauses = parser.conjunction();
  parser.expectEnd();
  return clauses.map((comparisons) => toClause(comparisons, text));
}

/** True when the cell's dimension values satisfy every non-split clause. Values compare case-insensitively, as Azure does. */
export function matchesFilter(clauses: readonly FilterClause[], valueOf: (dimension: string) => string): boolean {
  for (const clause of clauses) {
    if (clause.split) continue;
    const actual = valueOf(clause.dimension).toLowerCase();
    if (!clause.comparisons.some((c) => compare(c, actual))) return false;
  }
  return true;
}

function compare(c: Comparison, actual: string): boolean {
  const wanted = c.value.toLowerCase();
  switch (c.operator) {
    case "eq":
      return actual === wanted;
    case "ne":
      return actual !== wanted;
    case "sw":
      return actual.startsWith(wanted);
  }
}

function invalid(filter: string, why: string): ArmError {
  return badRequest(`Invalid $filter '${filter}': ${why}.`);
}

function toClause(comparisons: readonly Comparison[], filter: string): FilterClause {
  const first = comparisons[0];
  if (first === undefined) throw invalid(filter, "empty clause");
  const dimension = first.dimension;
  if (comparisons.some((c) => c.dimension.toLowerCase() !== dimension.toLowerCase())) {
    throw invalid(filter, "'or' may only join values of the same dimension");
  }
  const star = comparisons.filter((c) => c.value === "*");
  if (star.length === 0) return { dimension, comparisons, split: false };
  if (comparisons.length > 1 || first.operator !== "eq") throw invalid(filter, `'*' must stand alone as '${dimension} eq '*''`);
  return { dimension, comparisons, split: true };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "(") {
      tokens.push({ kind: "open" });
      i++;
    } else if (ch === ")") {
      tokens.push({ kind: "close" });
      i++;
    } else if (ch === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw invalid(text, "unterminated string");
        const c = text.charAt(i);
        if (c === "'") {
          // OData writes a quote inside a string as two quotes.
          if (text.charAt(i + 1) === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      // Azure asks for brackets inside names and values to arrive percent-encoded.
      tokens.push({ kind: "string", text: value.replace(/%28/gi, "(").replace(/%29/gi, ")") });
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
      if (m === null) throw invalid(text, `unexpected '${ch}' at position ${i + 1}`);
      tokens.push({ kind: "word", text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

class Parser {
  private readonly tokens: readonly Token[];
  private readonly filter: string;
  private pos = 0;

  constructor(tokens: readonly Token[], filter: string) {
    this.tokens = tokens;
    this.filter = filter;
  }

  /** clause ('and' clause)*, nested `and`s flattened: each element is one `or` group. */
  conjunction(): Comparison[][] {
    const clauses = this.disjunction();
    while (this.keyword("and")) clauses.push(...this.disjunction());
    return clauses;
  }

  expectEnd(): void {
    if (this.pos < this.tokens.length) throw invalid(this.filter, "expected 'and' or the end of the filter");
  }

  private disjunction(): Comparison[][] {
    const first = this.primary();
    if (!this.peekKeyword("or")) return first;
    const merged: Comparison[] = [...this.single(first)];
    while (this.keyword("or")) merged.push(...this.single(this.primary()));
    return [merged];
  }

  /** An `or` operand must be one group: `(A eq 'x' and B eq 'y') or …` is not a metrics filter. */
  private single(groups: Comparison[][]): Comparison[] {
    const only = groups[0];
    if (groups.length !== 1 || only === undefined) throw invalid(this.filter, "'or' cannot join clauses combined with 'and'");
    return only;
  }

  private primary(): Comparison[][] {
    const t = this.tokens[this.pos];
    if (t?.kind === "open") {
      this.pos++;
      const inner = this.conjunction();
      if (this.tokens[this.pos]?.kind !== "close") throw invalid(this.filter, "missing ')'");
      this.pos++;
      return inner;
    }
    return [[this.comparison()]];
  }

  private comparison(): Comparison {
    const name = this.tokens[this.pos];
    const op = this.tokens[this.pos + 1];
    const value = this.tokens[this.pos + 2];
    if (name?.kind !== "word" || isKeyword(name.text)) throw invalid(this.filter, "expected a dimension name");
    const operator = op?.kind === "word" ? op.text.toLowerCase() : "";
    if (!isOperator(operator)) throw invalid(this.filter, `expected eq, ne or sw after ${name.text}`);
    if (value?.kind !== "string") throw invalid(this.filter, `expected a quoted value after ${name.text} ${operator}`);
    this.pos += 3;
    return { dimension: name.text, operator, value: value.text };
  }

  private peekKeyword(word: string): boolean {
    const t = this.tokens[this.pos];
    return t?.kind === "word" && t.text.toLowerCase() === word;
  }

  private keyword(word: string): boolean {
    if (!this.peekKeyword(word)) return false;
    this.pos++;
    return true;
  }
}

function isOperator(word: string): word is FilterOperator {
  return word === "eq" || word === "ne" || word === "sw";
}

function isKeyword(word: string): boolean {
  const w = word.toLowerCase();
  return w === "and" || w === "or" || isOperator(w);
}
