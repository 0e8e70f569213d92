// Literals a regex can't match without: for /\b(?:last|past)\s+\d+\s*h\b/ every match contains
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
