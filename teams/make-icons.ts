// Draws the two Teams icons (node teams/make-icons.ts): a bar chart, the bot's subject at a glance.
// color.png is 192×192, the glyph inside the central 96×96 Teams keeps clear of its own cropping;
// outline.png is 32×32 white on transparent, the only colours Teams allows there.
// Geometry is per size so bar edges land on whole pixels and stay sharp at 32 px.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

type Rgb = readonly [number, number, number];
type Shape = (x: number, y: number) => boolean;
interface Image {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes, row by row, non-premultiplied RGBA. */
  readonly rgba: Uint8Array;
}
interface Layer {
  readonly shape: Shape;
  readonly colour: Rgb;
}

const ACCENT: Rgb = [0x0f, 0x4c, 0x81]; // the manifest's accentColor
const WHITE: Rgb = [255, 255, 255];
const SAMPLES = 4; // per axis: 16 samples a pixel smooth the rounded corners

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

interface Bars {
  readonly left: number;
  readonly bottom: number;
  readonly width: number;
  readonly gap: number;
  readonly heights: readonly number[];
  readonly radius: number;
}

function bars(b: Bars): Shape {
  const shapes = b.heights.map((h, i) => {
    const x0 = b.left + i * (b.width + b.gap);
    return roundedRect(x0, b.bottom - h, x0 + b.width, b.bottom, b.radius);
  });
  return (x, y) => shapes.some((s) => s(x, y));
}

/** Layers composited in order with "over", then stored un-premultiplied as PNG wants. */
function draw(size: number, layers: readonly Layer[]): Image {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0; // premultiplied, 0..1
      for (const layer of layers) {
        let hits = 0;
        for (let sy = 0; sy < SAMPLES; sy++) {
          for (let sx = 0; sx < SAMPLES; sx++) if (layer.shape(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)) hits++;
        }
        const cover = hits / (SAMPLES * SAMPLES);
        r = layer.colour[0] / 255 * cover + r * (1 - cover);
        g = layer.colour[1] / 255 * cover + g * (1 - cover);
        b = layer.colour[2] / 255 * cover + b * (1 - cover);
        a = cover + a * (1 - cover);
      }
      const o = (py * size + px) * 4;
      if (a > 0) rgba.set([Math.round(r / a * 255), Math.round(g / a * 255), Math.round(b / a * 255), Math.round(a * 255)], o);
    }
  }
  return { width: size, height: size, rgba };
}

const color = draw(192, [
  { shape: roundedRect(0, 0, 192, 192, 32), colour: ACCENT },
  { shape: bars({ left: 48, bottom: 144, width: 18, gap: 8, heights: [40, 72, 56, 96], radius: 4 }), colour: WHITE },
]);
const outline = draw(32, [
  { shape: bars({ left: 3, bottom: 29, width: 5, gap: 2, heights: [11, 20, 15, 26], radius: 1 }), colour: WHITE },
]);

for (const [name, image] of [["color.png", color], ["outline.png", outline]] as const) {
  const file = fileURLToPath(new URL(name, import.meta.url));
  const png = await sharp(image.rgba, { raw: { width: image.width, height: image.height, channels: 4 } }).png({ compressionLevel: 9 }).toBuffer();
  writeFileSync(file, png);
  console.log(`wrote ${file}`);
}
