// Does this machine draw SVG text? librsvg finds fonts through fontconfig; without a usable font it
// draws nothing, or the same empty box for every letter (sharp#4374, #2317, #3720), and a chart
// loses its title, axes and legend silently. Two strings of the same length tell: in a real font
// "WWWWWWWW" has far more ink than "iiiiiiii"; no font gives neither, boxes give the same.
import sharp from "sharp";
import { FONT } from "./chart-spec.ts";

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Pixels darker than mid-grey, in `box` or the whole picture. */
export async function darkPixels(png: Buffer, box?: Box): Promise<number> {
  const img = sharp(png).flatten({ background: "#ffffff" });
  const { data } = await (box ? img.extract(box) : img).greyscale().raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (const v of data) if (v < 128) n++;
  return n;
}

async function inkOf(text: string): Promise<number> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="80"><rect width="480" height="80" fill="#fff"/><text x="10" y="60" font-family="${FONT}" font-size="48" font-weight="bold" fill="#000">${text}</text></svg>`;
  return darkPixels(await sharp(Buffer.from(svg), { density: 72 }).png().toBuffer());
}

/** True when text comes out as letters in the charts' font (DejaVu Sans). */
export async function textRenders(): Promise<boolean> {
  const [wide, narrow] = await Promise.all([inkOf("WWWWWWWW"), inkOf("iiiiiiii")]);
  return narrow > 0 && wide > 2 * narrow;
}
