// Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008), ordered so the first
// lines are the most distinct on white; yellow and black come last. "other" is always grey, so a
// reader never mistakes the summed rest for a deployment.
export const SERIES_COLOURS = [
  "#0072B2", // blue
  "#E69F00", // orange
  "#009E73", // bluish green
  "#D55E00", // vermillion
  "#56B4E9", // sky blue
  "#CC79A7", // reddish purple
  "#F0E442", // yellow
  "#000000", // black
] as const;

export const OTHER_COLOUR = "#999999";
export const BAR_COLOUR = SERIES_COLOURS[0];
export const TEXT_COLOUR = "#222222";
export const MUTED_TEXT_COLOUR = "#555555";
export const GRID_COLOUR = "#e6e6e6";
export const BACKGROUND = "#ffffff";
