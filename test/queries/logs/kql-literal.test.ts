// kqlString is the one way a value enters a KQL query. Read back by KQL's own rules for a
// double-quoted literal, it is exactly the value; and whatever the value holds, the literal ends
// at its last character: no quote, backslash or line break lets text escape into the query.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidFilterValueError } from "../../../src/queries/errors.ts";
import { kqlString, kqlStringList } from "../../../src/queries/logs/kql-literal.ts";

/** Characters kqlString refuses (KQL has no escape for them inside a literal). */
// eslint-disable-next-line no-control-regex -- control characters are the subject
const REFUSED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/;

const ESCAPED: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", "\\": "\\", '"': '"', "'": "'" };

/**
 * Scans one double-quoted KQL literal at the start of `text` as the KQL lexer does: a backslash
 * takes the next character, an unescaped quote ends it, a raw line break is not allowed.
 * Returns the value and where the literal ended.
 */
function scanLiteral(text: string): { value: string; end: number } {
  if (text[0] !== '"') throw new Error("not a literal");
  let value = "";
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { value, end: i + 1 };
    if (c === "\n" || c === "\r") throw new Error(`raw line break at ${String(i)}`);
    if (c === "\\") {
      const next = text[++i];
      if (next === undefined || !(next in ESCAPED)) throw new Error(`unknown escape \\${next ?? ""}`);
      value += ESCAPED[next] ?? "";
      continue;
    }
    value += c;
  }
  throw new Error("unterminated literal");
}

const quotable = fc.string({ unit: "binary", maxLength: 60 }).filter((s) => !REFUSED.test(s));
// strings built from the characters that matter to a KQL lexer, so the interesting cases come often
const hostile = fc.array(fc.constantFrom('"', "'", "\\", "|", "\n", "\r", "\t", ";", "/", "*", "(", ")", "let x=1;", "//", "*/", "a", " "), { maxLength: 30 }).map((parts) => parts.join(""));

describe("kqlString", () => {
  it("reads back as exactly the value it was given (any quotable text)", () => {
    fc.assert(
      fc.property(fc.oneof(quotable, hostile), (value) => {
        const literal = kqlString(value);
        expect(scanLiteral(literal)).toEqual({ value, end: literal.length });
      }),
      { numRuns: 2_000 },
    );
  });

  it("never lets a quote end the literal early, so text after it can't become query", () => {
    fc.assert(
      fc.property(hostile, hostile, (value, after) => {
        // what a query around the literal would be: the literal, then more query text
        const text = `${kqlString(value)}${after === "" ? "" : ` ${after}`}`;
        expect(scanLiteral(text).end).toBe(kqlString(value).length);
        expect(kqlString(value)).not.toMatch(/[\n\r]/);
      }),
      { numRuns: 2_000 },
    );
  });

  it("refuses the characters it has no escape for, naming the value without them", () => {
    fc.assert(
      fc.property(quotable, fc.constantFrom("\u0000", "\u0007", "\u000b", "\u001b", "\u007f", "\u0085", "\u2028", "\u2029"), quotable, (a, bad, b) => {
        expect(() => kqlString(`${a}${bad}${b}`)).toThrow(InvalidFilterValueError);
      }),
      { numRuns: 300 },
    );
    expect(() => kqlString("gpt-4o\u2028| take 1")).toThrow(/"gpt-4o\?\| take 1" holds control characters/);
  });

  it("lists each value as its own literal", () => {
    expect(kqlStringList(["gpt-4o", 'a", "b'])).toBe('("gpt-4o", "a\\", \\"b")');
    expect(kqlStringList([])).toBe("()");
  });
});
