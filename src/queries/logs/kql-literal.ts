// Binding values into KQL. Every value a person can influence (a deployment name, a resource id)
// enters a query only as one double-quoted string literal, so no value can add an operator, a
// statement or a comment. Characters KQL has no escape for inside a literal are refused, not dropped:
// a name that silently changed would answer for a different deployment.
import { InvalidFilterValueError } from "../errors.ts";

// C0/C1 controls other than \t \n \r, and the Unicode line/paragraph separators (some editors and
// parsers break lines on them; KQL has no escape for them)
// eslint-disable-next-line no-control-regex -- control characters are what is refused
const UNESCAPABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/;

const ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A KQL double-quoted string literal: backslash, quote and line breaks escaped; other control characters refused. */
export function kqlString(value: string): string {
  if (UNESCAPABLE.test(value)) {
    throw new InvalidFilterValueError(`"${value.replace(/[^\x20-\x7e]/g, "?")}" holds control characters, so it can't be put in a log query.`, {
      hint: "Type the name without control or line-separator characters.",
    });
  }
  return `"${value.replace(/[\\"\n\r\t]/g, (c) => ESCAPES[c] ?? c)}"`;
}

/** `("a", "b")` for `in` / `in~`: each value its own literal. */
export function kqlStringList(values: readonly string[]): string {
  return `(${values.map(kqlString).join(", ")})`;
}
