// Deterministic GUIDs for the demo's ids (correlation ids, event ids): the same key gives the same
// id in every process, so a past event or log row reads the same whenever it is asked for.
import { hashKey } from "./seeded-random.ts";

/** A version-4-shaped GUID from four integer key parts. */
export function demoGuid(a: number, b: number, c: number, d: number): string {
  const hex = [1, 2, 3, 4].map((part) => hashKey(hashKey(a, b, c, d), part, 0, 0).toString(16).padStart(8, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
