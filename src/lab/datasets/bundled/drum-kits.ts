import { XMLParser } from 'fast-xml-parser';

/** One sample of an instrument, played for normalised velocities in [min, max]. */
export interface KitLayer {
  file: string;
  min: number;
  max: number;
  gain: number;
}

export interface KitInstrument {
  name: string;
  /** The kit's own mixer level for this instrument (volume × gain). */
  level: number;
  layers: KitLayer[];
}

export interface DrumKit {
  name: string;
  dir: string;
  instruments: KitInstrument[];
}

/** What a General MIDI drum note is, and the instrument names in Hydrogen kits that play it. */
export type DrumRole = 'kick' | 'sideStick' | 'snare' | 'clap' | 'closedHat' | 'pedalHat' | 'openHat' | 'lowTom' | 'midTom' | 'highTom' | 'crash' | 'ride' | 'rideBell' | 'china' | 'splash' | 'cowbell' | 'tambourine';

const GM_NOTES: Record<DrumRole, readonly number[]> = {
  kick: [35, 36], sideStick: [37], snare: [38, 40], clap: [39], closedHat: [42], pedalHat: [44], openHat: [46],
  lowTom: [41, 43], midTom: [45, 47], highTom: [48, 50], crash: [49, 57], ride: [51, 59], rideBell: [53],
  china: [52], splash: [55], cowbell: [56], tambourine: [54],
};

// Kits name their instruments freely ("Pearl Tom Floor", "VariBreaks Hat 1 Pd", "f#3 - hi-hat
// closed"); these patterns were written against the 14 kits of Debian's hydrogen-drumkits.
const HAT = String.raw`(?:hi[- ]?hat|hat|hh)`;
const ROLE_NAMES: Record<DrumRole, RegExp> = {
  kick: /\b(kick|bass ?drum|bassdrum|bd)\b/i,
  sideStick: /\b(side ?stick|stick|rim ?click)\b/i,
  snare: /^(?!.*(roll|rimshot)).*snare/i,
  clap: /clap/i,
  closedHat: new RegExp(String.raw`(closed ${HAT}|${HAT}s? (closed|cl\b)|${HAT} \d+ cl\b)`, 'i'),
  pedalHat: new RegExp(String.raw`(pedal ${HAT}|${HAT} (pedal|pd\b)|${HAT} \d+ pd\b)`, 'i'),
  openHat: new RegExp(String.raw`(open ${HAT}|${HAT} (open|opened|op\b)|${HAT} \d+ op\b)`, 'i'),
  lowTom: /(floor tom|tom floor|tom low|low tom)/i,
  midTom: /(tom mid|mid(dle)? tom|tom 2\b)/i,
  highTom: /(tom hi|high tom|hi tom|tom 1\b)/i,
  crash: /crash/i,
  ride: /^(?!.*(bell|cup)).*ride/i,
  rideBell: /^(?!.*cowbell).*(ride bell|ride-cup|\bbell\b)/i,
  china: /china/i,
  splash: /^(?!.*choke).*splash/i,
  cowbell: /cowbell/i,
  tambourine: /^(?!.*pedal).*tambourine/i,
};

/** A role the kit lacks borrows a near relative (no ride → the closed hat, as small kits play it). */
const STAND_INS: Partial<Record<DrumRole, readonly DrumRole[]>> = {
  pedalHat: ['closedHat'], openHat: ['closedHat'], ride: ['closedHat'], rideBell: ['ride', 'closedHat'],
  china: ['crash'], splash: ['crash'], crash: ['ride'], sideStick: ['snare'], clap: ['snare'],
  lowTom: ['midTom', 'highTom'], midTom: ['lowTom', 'highTom'], highTom: ['midTom', 'lowTom'],
};

/** A kit must have these to play a groove; percussion kits (cajon, djembe) do not. */
const ESSENTIAL: readonly DrumRole[] = ['kick', 'snare', 'closedHat'];

/** Parses a Hydrogen drumkit.xml (old one-file instruments and multi-layer ones alike). */
export function parseDrumkitXml({ xml, dir }: { xml: string; dir: string }): DrumKit {
  const parser = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'instrument' || name === 'layer' || name === 'instrumentComponent' });
  const info = (parser.parse(xml) as { drumkit_info?: RawKit }).drumkit_info;
  if (!info) throw new RangeError(`${dir}: not a Hydrogen drumkit.xml`);
  const instruments = (info.instrumentList?.instrument ?? []).map((raw): KitInstrument => {
    const layers = [...(raw.layer ?? []), ...(raw.instrumentComponent ?? []).flatMap((c) => c.layer ?? [])].map((l) => ({
      file: String(l.filename ?? ''),
      min: num(l.min, 0),
      max: num(l.max, 1),
      gain: num(l.gain, 1),
    }));
    if (layers.length === 0 && raw.filename) layers.push({ file: String(raw.filename), min: 0, max: 1, gain: 1 });
    return { name: String(raw.name ?? ''), level: num(raw.volume, 1) * num(raw.gain, 1), layers: layers.filter((l) => l.file !== '') };
  });
  return { name: String(info.name ?? dir), dir, instruments: instruments.filter((i) => i.layers.length > 0) };
}

/** GM note → the kit instrument that plays it; null when the kit cannot play a groove. */
export function mapKitToNotes({ kit }: { kit: DrumKit }): Map<number, KitInstrument> | null {
  const byRole = new Map<DrumRole, KitInstrument>();
  for (const role of Object.keys(ROLE_NAMES) as DrumRole[]) {
    const found = kit.instruments.find((i) => ROLE_NAMES[role].test(i.name));
    if (found) byRole.set(role, found);
  }
  if (!ESSENTIAL.every((role) => byRole.has(role))) return null;
  const notes = new Map<number, KitInstrument>();
  for (const role of Object.keys(GM_NOTES) as DrumRole[]) {
    const player = byRole.get(role) ?? (STAND_INS[role] ?? []).map((r) => byRole.get(r)).find((i) => i !== undefined);
    if (player) for (const note of GM_NOTES[role]) notes.set(note, player);
  }
  return notes;
}

/** The layer for a MIDI velocity (Hydrogen's rule: the layer whose range holds it, else the nearest). */
export function layerFor({ instrument, velocity }: { instrument: KitInstrument; velocity: number }): KitLayer {
  const v = velocity / 127;
  const inside = instrument.layers.find((l) => v >= l.min && v <= l.max);
  if (inside) return inside;
  const distance = (l: KitLayer): number => Math.min(Math.abs(v - l.min), Math.abs(v - l.max));
  return instrument.layers.reduce((best, l) => (distance(l) < distance(best) ? l : best));
}

function num(value: unknown, fallback: number): number {
  const n = Number(value);
  return value === undefined || value === '' || !Number.isFinite(n) ? fallback : n;
}

interface RawLayer { filename?: unknown; min?: unknown; max?: unknown; gain?: unknown }
interface RawInstrument { name?: unknown; volume?: unknown; gain?: unknown; filename?: unknown; layer?: RawLayer[]; instrumentComponent?: { layer?: RawLayer[] }[] }
interface RawKit { name?: unknown; instrumentList?: { instrument?: RawInstrument[] } }
