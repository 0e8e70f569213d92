// "500 errors", "errors 503", "503 responses", "404s": a status code said beside a count word, or
// as a plural, is that exact code, a StatusCode filter; only "5xx"/"server errors" name the class.
// A code that is itself a phrase ("429", "429s": rate limiting) is left for the intent step.
// Patterns are anchored on a digit or a noun, so a long run of blanks is never rescanned.

const NOUN = "(?:errors?|calls?|requests?|reqs|responses?|failures?)";
const CODE_BEFORE_NOUN = new RegExp(`(?<![a-z0-9.:/-])([1-5]\\d\\d)(\\s+${NOUN})(?![a-z0-9-])`, "g");
const NOUN_BEFORE_CODE = new RegExp(`(?<![a-z0-9-])(${NOUN}\\s+)([1-5]\\d\\d)(?![a-z0-9.:/-])`, "g");
const PLURAL_CODE = /(?<![a-z0-9.:/-])([1-5]\d\d)(?:s|'s)(?![a-z0-9-])/g;
const ANY_CODE = /[1-5]\d\d/;

/** Lifts the codes out of `rest` (same length back), the count word stays for the intent step. */
export function takeStatusCodes(rest: string, isPhrase: (word: string) => boolean, add: (code: string) => void): string {
  const take = (code: string, whole: string): string => {
    if (isPhrase(code) || isPhrase(whole)) return whole;
    add(code);
    return " ".repeat(whole.length);
  };
  // every pattern reads a three-digit code: most texts have none
  if (!ANY_CODE.test(rest)) return rest;
  return rest
    .replace(PLURAL_CODE, (whole, code: string) => take(code, whole))
    .replace(CODE_BEFORE_NOUN, (whole, code: string, noun: string) => (isPhrase(code) ? whole : `${take(code, code)}${noun}`))
    .replace(NOUN_BEFORE_CODE, (whole, noun: string, code: string) => (isPhrase(code) ? whole : `${noun}${take(code, code)}`));
}
