// Example questions: shown by "help", and the three closest to what was typed when a
// question is not understood.

export const EXAMPLES: readonly string[] = [
  "latency",
  "latency gpt-4o 24h",
  "blocked calls last hour for deployment gpt-4o",
  "how many 429s did gpt-4o-mini get yesterday?",
  "average latency of gpt-4o in the last 30 minutes",
  "max time to first token for gpt-4o today",
  "errors by status code today",
  "tokens by deployment 7d",
  "top 3 deployments by tokens this week",
  "prompt vs completion tokens today",
  "PTU utilization for gpt-4o-ptu",
  "content filter blocks yesterday",
  "availability by deployment 24h",
  "is anything failing?",
  "TotalCalls last hour",
];

const wordsOf = (text: string) => text.toLowerCase().split(/[^a-z0-9-]+/).filter((w) => w.length > 1);
/** Each example's words, read once. */
const EXAMPLE_WORDS = EXAMPLES.map(wordsOf);

export function closestExamples(text: string, n = 3): string[] {
  const words = new Set(wordsOf(text));
  const long = [...words].filter((t) => t.length >= 4);
  const scored = EXAMPLES.map((example, i) => {
    const ew = EXAMPLE_WORDS[i] ?? [];
    const shared = ew.filter((w) => words.has(w) || long.some((t) => w.startsWith(t.slice(0, 4)) || t.startsWith(w.slice(0, 4)))).length;
    return { example, score: shared / Math.sqrt(ew.length), i };
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  return scored.slice(0, n).map((s) => s.example);
}
