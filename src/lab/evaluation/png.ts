// A minimal PNG encoder (8-bit RGB, no interlace) and a 3×5 bitmap font: enough to draw a labelled
// confusion matrix without an image dependency. PNG = signature + IHDR + IDAT (zlib of rows, each
// prefixed by filter byte 0) + IEND, every chunk with a CRC-32.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export interface RgbImage {
  width: number;
  height: number;
  /** width × height × 3 bytes, row-major. */
  pixels: Uint8Array;
}

export function createImage(width: number, height: number, background: [number, number, number] = [255, 255, 255]): RgbImage {
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) pixels.set(background, i * 3);
  return { width, height, pixels };
}

export function fillRect(img: RgbImage, x0: number, y0: number, w: number, h: number, rgb: readonly number[]): void {
  const x = Math.round(x0);
  const y = Math.round(y0);
  for (let yy = Math.max(0, y); yy < Math.min(img.height, y + h); yy++) {
    for (let xx = Math.max(0, x); xx < Math.min(img.width, x + w); xx++) img.pixels.set(rgb, (yy * img.width + xx) * 3);
  }
}

// Rows of each glyph, 3 bits per row (MSB = left column).
const GLYPHS: Record<string, number[]> = {
  A: [2, 5, 7, 5, 5], B: [6, 5, 6, 5, 6], C: [3, 4, 4, 4, 3], D: [6, 5, 5, 5, 6], E: [7, 4, 6, 4, 7], F: [7, 4, 6, 4, 4],
  G: [3, 4, 5, 5, 3], H: [5, 5, 7, 5, 5], I: [7, 2, 2, 2, 7], J: [1, 1, 1, 5, 2], K: [5, 5, 6, 5, 5], L: [4, 4, 4, 4, 7],
  M: [5, 7, 7, 5, 5], N: [6, 5, 5, 5, 5], O: [2, 5, 5, 5, 2], P: [6, 5, 6, 4, 4], Q: [2, 5, 5, 6, 3], R: [6, 5, 6, 5, 5],
  S: [3, 4, 2, 1, 6], T: [7, 2, 2, 2, 2], U: [5, 5, 5, 5, 7], V: [5, 5, 5, 5, 2], W: [5, 5, 7, 7, 5], X: [5, 5, 2, 5, 5],
  Y: [5, 5, 2, 2, 2], Z: [7, 1, 2, 4, 7], '0': [7, 5, 5, 5, 7], '1': [2, 6, 2, 2, 7], '2': [6, 1, 2, 4, 7], '3': [6, 1, 2, 1, 6],
  '4': [5, 5, 7, 1, 1], '5': [7, 4, 6, 1, 6], '6': [3, 4, 7, 5, 7], '7': [7, 1, 2, 2, 2], '8': [7, 5, 7, 5, 7], '9': [7, 5, 7, 1, 6],
  '.': [0, 0, 0, 0, 2], '-': [0, 0, 7, 0, 0], ' ': [0, 0, 0, 0, 0], '%': [5, 1, 2, 4, 5], _: [0, 0, 0, 0, 7], '(': [1, 2, 2, 2, 1],
  ')': [4, 2, 2, 2, 4], '@': [7, 5, 7, 4, 7], '/': [1, 1, 2, 4, 4], ':': [0, 2, 0, 2, 0], '?': [6, 1, 2, 0, 2],
};

/** Width in pixels of `text` drawn at `scale` (4 columns per character including spacing). */
export function textWidth(text: string, scale: number): number {
  return text.length * 4 * scale - scale;
}

/** Draws upper-cased text with its top-left corner at (x, y); unknown characters print as "?". */
export function drawText(img: RgbImage, text: string, x: number, y: number, scale: number, rgb: readonly number[]): void {
  [...text.toUpperCase()].forEach((ch, i) => {
    const rows = GLYPHS[ch] ?? GLYPHS['?']!;
    rows.forEach((bits, r) => {
      for (let c = 0; c < 3; c++) {
        if (bits & (4 >> c)) fillRect(img, x + (i * 4 + c) * scale, y + r * scale, scale, scale, rgb);
      }
    });
  });
}

export function encodePng(img: RgbImage): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(img.width, 0);
  header.writeUInt32BE(img.height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, filter 0, no interlace
  const stride = img.width * 3;
  const raw = Buffer.alloc((stride + 1) * img.height);
  for (let y = 0; y < img.height; y++) raw.set(img.pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
