// Builds the Metrics REST `$filter`. Values come from people, so they are checked against a
// whitelist instead of escaped: quote escaping in $filter is undocumented.
import { InvalidFilterValueError } from "./errors.ts";
import type { Dimension } from "./catalog.ts";

/** Letters, digits and . _ - : and inner spaces; never a quote, bracket or comma. */
const SAFE_VALUE = /^[A-Za-z0-9][A-Za-z0-9 ._:-]{0,127}$/;

export function assertSafeValue(dimension: Dimension, value: string): void {
  if (!SAFE_VALUE.test(value) || value.endsWith(" ")) {
    throw new InvalidFilterValueError(`"${value}" is not a valid ${dimension} value.`, {
      hint: "Values may hold letters, digits, '.', '_', '-' and ':' only, e.g. deployment=gpt-4o.",
    });
  }
}

export interface FilterClause {
  readonly dimension: Dimension;
  /** One or more exact values (joined with `or`), or "*" to split by this dimension. */
  readonly values: readonly string[] | "*";
}

export function buildFilter(clauses: readonly FilterClause[]): string | undefined {
  if (clauses.length === 0) return undefined;
  const parts = clauses.map((c) => {
    if (c.values === "*") return `${c.dimension} eq '*'`;
    for (const v of c.values) assertSafeValue(c.dimension, v);
    const ors = c.values.map((v) => `${c.dimension} eq '${v}'`);
    return ors.length === 1 ? ors[0]! : `(${ors.join(" or ")})`;
  });
  return parts.join(" and ");
}
