// Matching what a person typed against the deployments a resource really has.
import { distance } from "fastest-levenshtein";
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

/** Levenshtein distance (insertions, deletions, substitutions), case as given. */
export function editDistance(a: string, b: string): number {
  return distance(a, b);
}
