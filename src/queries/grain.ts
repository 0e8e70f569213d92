// Grain (the REST `interval`) chosen so a window draws as at most ~200 points.

export const MAX_POINTS = 200;

/** The time grains Azure Monitor accepts for platform metrics, in minutes. */
const GRAINS: readonly { readonly iso: string; readonly minutes: number }[] = [
  { iso: "PT1M", minutes: 1 },
  { iso: "PT5M", minutes: 5 },
  { iso: "PT15M", minutes: 15 },
  { iso: "PT30M", minutes: 30 },
  { iso: "PT1H", minutes: 60 },
  { iso: "PT6H", minutes: 360 },
  { iso: "PT12H", minutes: 720 },
  { iso: "P1D", minutes: 1440 },
];

export function chooseGrain(windowMs: number): string {
  const minutes = windowMs / 60_000;
  const fit = GRAINS.find((g) => minutes / g.minutes <= MAX_POINTS);
  return (fit ?? GRAINS[GRAINS.length - 1]!).iso;
}
