// Just enough PNG for the Teams icons: write 8-bit RGBA, and read back what the package check
// needs (size from IHDR, pixels of common 8-bit images) without an image library.
import { crc32, deflateSync, inflateSync } from "node:zlib";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface Image {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes, row by row, non-premultiplied RGBA. */
  readonly rgba: Uint8Array;
}

export function encodePng(image: Image): Buffer {
  const { width, height, rgba } = image;
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, adaptive filtering, no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1); // filter byte 0: the icons are tiny
  return Buffer.concat([SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colourType: number;
  readonly interlaced: boolean;
}

/** The IHDR fields, or a sentence saying why the bytes are not a PNG. */
export function readPngHeader(png: Uint8Array): PngHeader | string {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.length < 33 || !buf.subarray(0, 8).equals(SIGNATURE)) return "is not a PNG file";
  if (buf.toString("latin1", 12, 16) !== "IHDR") return "is a PNG without an IHDR chunk first";
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), bitDepth: buf[24]!, colourType: buf[25]!, interlaced: buf[28] !== 0 };
}

const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Pixels as RGBA, or a sentence saying why they can't be read (only 8-bit, non-interlaced images are). */
export function decodePng(png: Uint8Array): Image | string {
  const header = readPngHeader(png);
  if (typeof header === "string") return header;
  const { width, height, bitDepth, colourType, interlaced } = header;
  const channels = CHANNELS[colourType];
  if (bitDepth !== 8 || channels === undefined || interlaced) return `is a PNG this check can't read (bit depth ${bitDepth}, colour type ${colourType}${interlaced ? ", interlaced" : ""}); save it as 8-bit RGBA`;

  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const idat: Buffer[] = [];
  let palette: Buffer | undefined;
  let paletteAlpha: Buffer | undefined;
  for (let at = 8; at + 12 <= buf.length;) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString("latin1", at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === "IDAT") idat.push(data);
    else if (type === "PLTE") palette = data;
    else if (type === "tRNS") paletteAlpha = data;
    else if (type === "IEND") break;
    at += 12 + length;
  }
  if (colourType === 3 && palette === undefined) return "is a palette PNG without a palette";

  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    return "has image data that does not inflate";
  }
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) return "has less image data than its size needs";
  const pixels = unfilter(raw, stride, height, channels);
  if (typeof pixels === "string") return pixels;

  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const p = i * channels;
    const o = i * 4;
    if (colourType === 6) rgba.set(pixels.subarray(p, p + 4), o);
    else if (colourType === 2) rgba.set([pixels[p]!, pixels[p + 1]!, pixels[p + 2]!, 255], o);
    else if (colourType === 4) rgba.set([pixels[p]!, pixels[p]!, pixels[p]!, pixels[p + 1]!], o);
    else if (colourType === 0) rgba.set([pixels[p]!, pixels[p]!, pixels[p]!, 255], o);
    else {
      const index = pixels[p]!;
      rgba.set([palette![index * 3] ?? 0, palette![index * 3 + 1] ?? 0, palette![index * 3 + 2] ?? 0, paletteAlpha?.[index] ?? 255], o);
    }
  }
  return { width, height, rgba };
}

function unfilter(raw: Buffer, stride: number, height: number, bpp: number): Uint8Array | string {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[row + x - bpp]! : 0;
      const b = y > 0 ? out[row - stride + x]! : 0;
      const c = x >= bpp && y > 0 ? out[row - stride + x - bpp]! : 0;
      let predictor: number;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) >> 1; break;
        case 4: predictor = paeth(a, b, c); break;
        default: return `has an unknown row filter ${filter}`;
      }
      out[row + x] = (line[x]! + predictor) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
