// How the playground draws a Message's charts as PNG: the chart renderer of src/charts/, once the
// build has one; until then answers are shown with their sparklines only.
import type { DrawChart } from "./chart-pictures.ts";

export const drawChart: DrawChart | undefined = undefined;
