// The viridis colour map (Smith & van der Walt, matplotlib's default since 2.0; CC0): perceptually
// uniform and readable in greyscale and by colour-blind viewers. Stored as its ten standard stops
// (the sRGB values of R's viridis(10)) and expanded to a 256-entry table by linear interpolation;
// in sRGB viridis is close to piecewise linear, so the expansion stays within a few levels of the
// full table.

const STOPS = [0x440154, 0x482878, 0x3e4a89, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6dcd59, 0xb4de2c, 0xfde725];

function channel(colour: number, shift: number): number {
  return (colour >> shift) & 0xff;
}

function buildTable(): Uint8Array {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const pos = (i / 255) * (STOPS.length - 1);
    const lo = Math.min(Math.floor(pos), STOPS.length - 2);
    const frac = pos - lo;
    for (let c = 0; c < 3; c++) {
      const shift = 16 - 8 * c;
      const a = channel(STOPS[lo]!, shift), b = channel(STOPS[lo + 1]!, shift);
      table[i * 3 + c] = Math.round(a + (b - a) * frac);
    }
  }
  return table;
}

/** 256 RGB triples, index 0 = dark purple (low), 255 = yellow (high). */
export const VIRIDIS_RGB: Uint8Array = buildTable();
