// The gates in front of the phrase tables (pattern-gate.ts) must never change
// what a question is read as: the first row that matches is the one a plain loop over the rows finds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAY_RULES } from "../../src/bot/day-phrases.ts";
import { ALIAS_RULES } from "../../src/bot/deployment-aliases.ts";
import { EXAMPLES } from "../../src/bot/examples.ts";
import { GatedRows, anyPattern, gateOf, requiredLiterals } from "../../src/bot/pattern-gate.ts";
import { LOG_SOURCE, STATUS_WORDS, TABLE_PHRASINGS, TABLE_TOPICS } from "../../src/bot/table-topics.ts";
import { TIME_RULES } from "../../src/bot/time-phrases.ts";

const TABLES: readonly (readonly [string, readonly RegExp[]])[] = [
  ["time rules", TIME_RULES.map((r) => r.pattern)],
  ["day rules", DAY_RULES.map((r) => r.pattern)],
  ["table phrasings", TABLE_PHRASINGS.map((p) => p.pattern)],
  ["log-source words", LOG_SOURCE],
  ["log status words", STATUS_WORDS.map((w) => w.pattern)],
  ["deployment aliases", ALIAS_RULES.flatMap((r) => r.patterns)],
];
const ALL = TABLES.flatMap(([, patterns]) => patterns);

/**
 * The source without lookarounds and \b: a superset of what the pattern matches (an assertion only
 * ever removes matches), in a form fast-check can generate strings for. The literal analysis reads
 * assertions as empty, so what it finds must be in every one of these strings too.
 */
function withoutAssertions(source: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      if (source[i + 1] !== "b") out += c + (source[i + 1] ?? "");
      i++;
    } else if (c === "[") {
      const close = classEnd(source, i);
      out += source.slice(i, close + 1);
      i = close;
    } else if (c === "(" && /^\(\?(?:<?[=!])/.test(source.slice(i))) {
      i = groupEnd(source, i);
      // a quantified lookahead ("(?=x)?") leaves its quantifier behind
      if ("?*+".includes(source[i + 1] ?? "")) i++;
    } else if (c === "(" && /^\(\?<[A-Za-z]/.test(source.slice(i))) {
      out += "(?:";
      i = source.indexOf(">", i);
    } else if (c !== "^" && c !== "$") out += c;
  }
  return out;
}

function classEnd(source: string, at: number): number {
  for (let i = at + 1; i < source.length; i++) {
    if (source[i] === "\\") i++;
    else if (source[i] === "]") return i;
  }
  throw new Error("unterminated class");
}

function groupEnd(source: string, at: number): number {
  let depth = 0;
  for (let i = at; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "[") i = classEnd(source, i);
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  throw new Error("unclosed group");
}

const WORDS = [...new Set([...EXAMPLES, ...Object.values(TABLE_TOPICS).flatMap((t) => t.examples)].flatMap((q) => q.toLowerCase().split(/\s+/)))];

describe("literals a pattern can't match without", () => {
  it.each(TABLES)("are in every string the %s match", (_name, patterns) => {
    for (const pattern of patterns) {
      const literals = requiredLiterals(pattern);
      if (literals === undefined) continue;
      const loose = new RegExp(withoutAssertions(pattern.source));
      fc.assert(
        fc.property(fc.stringMatching(loose), (s) => {
          expect(literals.some((l) => s.includes(l)), `/${pattern.source}/ matched ${JSON.stringify(s)} without any of ${JSON.stringify(literals)}`).toBe(true);
        }),
        { numRuns: 150 },
      );
    }
  });

  it("are found for the words the time grammar and the table phrasings start from", () => {
    expect(requiredLiterals(/\b(?:last|past)\s+\d+\s*h\b/)).toEqual(["last", "past"]);
    expect(requiredLiterals(/(?<![a-z0-9-])(?:throttl(?:ed|ing)|rate\s+limits?)(?![a-z0-9-])/)).toEqual(["throttled", "throttling", "rate"]);
    expect(requiredLiterals(/\bsince\s+yesterday\b/)).toEqual(["yesterday"]);
    // "could be anything": a class, a digit run, an optional part, a case-insensitive flag
    expect(requiredLiterals(/[a-z]+\d?/)).toBeUndefined();
    expect(requiredLiterals(/(?:a|b)?x/)).toBeUndefined();
    expect(requiredLiterals(/latency/i)).toBeUndefined();
  });
});

describe("gated tables", () => {
  const texts = fc.oneof(
    fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }).map((w) => w.join(" ")),
    fc.tuple(fc.constantFrom(...ALL), fc.array(fc.constantFrom(...WORDS), { maxLength: 4 })).chain(([pattern, around]) =>
      fc.stringMatching(new RegExp(withoutAssertions(pattern.source))).map((s) => [...around.slice(0, 2), s, ...around.slice(2)].join(" ")),
    ),
  );

  it.each(TABLES)("find the row a loop over the %s finds, with the same match", (_name, patterns) => {
    const gated = new GatedRows(patterns, (p) => p);
    fc.assert(
      fc.property(texts, (text) => {
        const loop = patterns.findIndex((p) => p.exec(text) !== null);
        const hit = gated.first(text);
        expect(hit === undefined ? -1 : patterns.indexOf(hit.row), text).toBe(loop);
        if (hit) expect([...hit.m]).toEqual([...patterns[loop]!.exec(text)!]);
      }),
      { numRuns: 400 },
    );
  });

  it.each(TABLES)("say no only where none of the %s matches", (_name, patterns) => {
    const gate = gateOf(patterns);
    const any = anyPattern(patterns);
    fc.assert(
      fc.property(texts, (text) => {
        const matches = patterns.some((p) => p.test(text));
        expect(any.test(text), text).toBe(matches);
        if (matches) expect(gate.test(text), text).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("refuse patterns a gate can't join", () => {
    expect(() => anyPattern([/a/i, /b/])).toThrow(/flags/);
    expect(() => anyPattern([/(a)\1/])).toThrow(/back-references/);
  });
});
