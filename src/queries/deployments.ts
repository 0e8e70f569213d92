// Matching what a person typed against the deployments a resource really has.
import { UnknownDeploymentError } from "./errors.ts";

export function resolveDeployment(typed: string, known: readonly string[]): string {
  const exact = known.find((k) => k.toLowerCase() === typed.toLowerCase());
  if (exact !== undefined) return exact;
  throw new UnknownDeploymentError(typed, known, closest(typed, known));
}

/** The known name within a small edit distance of what was typed, if there is one. */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(t, k.toLowerCase());
    if (best === undefined || d < best.d) best = { name: k, d };
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.min(3, Math.floor(t.length / 3)));
  return best.d <= allowed ? best.name : undefined;
}

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diag + cost);
      diag = above;
    }
  }
  return prev[b.length]!;
}
