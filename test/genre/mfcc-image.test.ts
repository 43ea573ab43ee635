import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { InputError } from '../../src/errors.js';
import { renderMfccImage } from '../../src/genre/mfcc-image.js';
import { VIRIDIS_RGB } from '../../src/genre/viridis.js';
import type { MfccMatrix } from '../../src/types.js';

/** Row 0 (c0) rises over time, every other row falls. */
function ramps(nMfcc: number, frames: number): MfccMatrix {
  const data = new Float32Array(nMfcc * frames);
  for (let k = 0; k < nMfcc; k++) {
    for (let t = 0; t < frames; t++) data[k * frames + t] = k === 0 ? -500 + t : 20 - t * 0.1 * k;
  }
  return { data, nMfcc, frames };
}

interface Decoded { data: Buffer; width: number; height: number; channels: number }

async function decode(jpeg: Buffer): Promise<Decoded> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

function pixel(img: Decoded, x: number, y: number): [number, number, number] {
  const i = (y * img.width + x) * img.channels;
  return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
}

function near(actual: [number, number, number], expected: [number, number, number], tolerance = 24): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);
}

const DARK: [number, number, number] = [VIRIDIS_RGB[0]!, VIRIDIS_RGB[1]!, VIRIDIS_RGB[2]!];
const BRIGHT: [number, number, number] = [VIRIDIS_RGB[765]!, VIRIDIS_RGB[766]!, VIRIDIS_RGB[767]!];

test('renders a JPEG one column per frame, 12 px per coefficient, base64 without prefix', async () => {
  const image = await renderMfccImage({ mfcc: ramps(13, 200) });
  assert.equal(image.width, 200);
  assert.equal(image.height, 13 * 12);
  assert.deepEqual([...image.jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  assert.deepEqual([...image.jpeg.subarray(-2)], [0xff, 0xd9]);
  assert.equal(image.base64, image.jpeg.toString('base64'));
  assert.ok(!image.base64.startsWith('data:'));
  const decoded = await decode(image.jpeg);
  assert.equal(decoded.width, 200);
  assert.equal(decoded.height, 156);
});

test('an RGB JPEG without chroma subsampling: one column is one frame, colours must not bleed', async () => {
  const meta = await sharp((await renderMfccImage({ mfcc: ramps(13, 64) })).jpeg).metadata();
  assert.equal(meta.format, 'jpeg');
  assert.equal(meta.channels, 3);
  assert.equal(meta.hasAlpha, false);
  assert.equal(meta.chromaSubsampling, '4:4:4');
});

test('c0 is the bottom band, time runs left to right, viridis colours', async () => {
  const image = await renderMfccImage({ mfcc: ramps(13, 200), quality: 95 });
  const decoded = await decode(image.jpeg);
  const bottom = decoded.height - 6; // middle of the c0 band
  assert.ok(near(pixel(decoded, 5, bottom), DARK), `c0 start ${pixel(decoded, 5, bottom)}`);
  assert.ok(near(pixel(decoded, 194, bottom), BRIGHT), `c0 end ${pixel(decoded, 194, bottom)}`);
  assert.ok(near(pixel(decoded, 5, 6), BRIGHT), `c12 start ${pixel(decoded, 5, 6)}`);
  assert.ok(near(pixel(decoded, 194, 6), DARK), `c12 end ${pixel(decoded, 194, 6)}`);
});

test('rowHeight, many coefficients and a single frame', async () => {
  assert.equal((await renderMfccImage({ mfcc: ramps(13, 10), rowHeight: 4 })).height, 52);
  assert.equal((await renderMfccImage({ mfcc: ramps(40, 10) })).height, 40 * 6);
  const one = await renderMfccImage({ mfcc: { data: new Float32Array(13), nMfcc: 13, frames: 1 } });
  assert.equal(one.width, 1);
  assert.equal((await decode(one.jpeg)).width, 1);
});

test('concurrent encodes give the same bytes as one at a time', async () => {
  const mfcc = ramps(13, 300);
  const alone = (await renderMfccImage({ mfcc })).jpeg;
  const together = await Promise.all(Array.from({ length: 6 }, () => renderMfccImage({ mfcc })));
  for (const image of together) assert.ok(image.jpeg.equals(alone));
});

test('bad matrices and options are InputErrors', async () => {
  const isInputError = (err: unknown) => err instanceof InputError;
  await assert.rejects(renderMfccImage({ mfcc: { data: new Float32Array(5), nMfcc: 13, frames: 1 } }), isInputError);
  await assert.rejects(renderMfccImage({ mfcc: { data: new Float32Array(0), nMfcc: 13, frames: 0 } }), isInputError);
  await assert.rejects(renderMfccImage({ mfcc: ramps(13, 10), quality: 0 }), isInputError);
  await assert.rejects(renderMfccImage({ mfcc: ramps(13, 10), rowHeight: 0 }), isInputError);
});
